import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { appendToArchive } from "../../src/store/append-to-archive.js";
import { chatNamed } from "../../src/store/chats.js";
import { down } from "../../src/store/migrations/2026-11-23T0745-search-by-time.js";
import { down as downShortPrefixes } from "../../src/store/migrations/2026-11-23T1130-search-short-prefixes.js";
import { type Archive, openArchive } from "../../src/store/open-archive.js";
import { messagePages, type SearchFilters, searchMessages } from "../../src/store/search-messages.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { dhaka, editOf, fakeClock, memoryLogger, testArchive } from "../support.js";

const WORDS = ["প্রতিবেদন পাঠান", "সভা হবে", "ত্রাণ বিতরণের প্রতিবেদন", "জি স্যার", "report sent", "প্রতিবেদনটি দেখেছি"];

/** A chat export of `count` messages from `start` (Dhaka), `step` minutes apart, several to a minute now and then. */
function exportLines(start: Date, count: number, step: number, seed: number): string {
  const lines: string[] = [];
  let at = start.getTime();
  for (let i = 0; i < count; i++) {
    if ((i * seed) % 5 !== 0) at += step * 60_000;
    const d = new Date(at);
    const two = (n: number) => String(n).padStart(2, "0");
    const when = `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    lines.push(`${when} - ${i % 3 === 0 ? "কাজী মাহমুদুল হাসান" : "শাহানা পারভীন"}: ${WORDS[(i * seed + i) % WORDS.length]} ${i}`);
  }
  return lines.join("\n");
}

/**
 * Three busy chats of the same days, each hour holding messages of all three, whose exports are imported
 * newest first: within an hour, the order they were archived in is not the order they were sent in.
 */
async function officeImportedOutOfOrder() {
  const { archive, media, folder, path } = await testArchive();
  const chats: Array<[string, Date, number, number]> = [
    ["নতুন", new Date(Date.UTC(2024, 9, 1, 11, 0)), 7, 4],
    ["মাঝের", new Date(Date.UTC(2024, 9, 1, 10, 0)), 11, 6],
    ["পুরনো", new Date(Date.UTC(2024, 9, 1, 9, 0)), 13, 12],
  ];
  for (const [name, start, step, seed] of chats) {
    const file = join(folder, `WhatsApp Chat with ${name}.txt`);
    writeFileSync(file, exportLines(start, 120, step, seed));
    await importChatExport(archive, media, file, { timeZone: "UTC", chatName: name }, fakeClock().now, memoryLogger().log);
  }
  return { archive, path };
}

/** What a search must show, worked out the other way: every match, oldest first, turned round. */
function newestFirst(archive: Archive, filters: Omit<SearchFilters, "limit">): number[] {
  return [...messagePages(archive, filters, 50)].flat().map((message) => message.id).reverse();
}

describe("search reads the newest matches first", () => {
  it("lists an office's messages newest first, a page at a time, though its oldest export was imported last", async () => {
    const { archive } = await officeImportedOutOfOrder();
    const middle = chatNamed(archive, "মাঝের");
    const cases: Array<Omit<SearchFilters, "limit">> = [
      { query: "প্রতিবেদন" },
      { query: "report" },
      { query: "সভা", chatId: middle.id },
      { query: "প্রতিবেদন", since: Date.UTC(2024, 9, 1, 14, 15), until: Date.UTC(2024, 9, 1, 23, 30) },
      { query: "জি স্যার", until: Date.UTC(2024, 9, 1, 20, 0) },
    ];
    for (const filters of cases) {
      const all = newestFirst(archive, filters);
      expect(all.length).toBeGreaterThan(10);
      for (const limit of [...Array.from({ length: 30 }, (_, i) => i + 1), 50, 500]) {
        const found = searchMessages(archive, { ...filters, limit });
        expect(found.messages.map((message) => message.id), JSON.stringify({ ...filters, limit })).toEqual(all.slice(0, limit));
        expect(found.more).toBe(all.length > limit);
      }
    }
  });

  it("finds the same with every kind of filter, whichever kind was asked for before", async () => {
    const { archive } = await officeImportedOutOfOrder();
    const middle = chatNamed(archive, "মাঝের");
    const people = archive.all(sql<{ id: number }>`SELECT id FROM people ORDER BY id`).map((person) => person.id);
    const through = archive.get(sql<{ seq: number }>`SELECT seq FROM messages ORDER BY seq LIMIT 1 OFFSET 200`)!.seq;
    const kinds: Array<Omit<SearchFilters, "limit">> = [
      { query: "প্রতিবেদন" },
      { query: "প্রতিবেদন", chatId: middle.id },
      { query: "প্রতিবেদন", senderIds: people.slice(0, 1) },
      { query: "প্রতিবেদন", senderIds: people.slice(1, 2) },
      { query: "প্রতিবেদন", senderIds: people.slice(0, 2) },
      { query: "প্রতিবেদন", senderIds: [] },
      { query: "সভা", since: Date.UTC(2024, 9, 1, 14, 0) },
      { query: "সভা", until: Date.UTC(2024, 9, 1, 20, 0) },
      { query: "সভা", chatId: middle.id, since: Date.UTC(2024, 9, 1, 12, 0), until: Date.UTC(2024, 9, 1, 22, 0) },
      { query: "report", throughSeq: through },
      { query: "report", directives: true },
      { query: "জি", chatId: middle.id, senderIds: people.slice(0, 1), throughSeq: through },
    ];
    const expected = kinds.map((filters) => newestFirst(archive, filters));
    expect(expected.filter((ids) => ids.length > 0).length).toBeGreaterThan(8);
    for (const order of [kinds.keys(), [...kinds.keys()].reverse()]) {
      for (const i of order) {
        expect(searchMessages(archive, { ...kinds[i]!, limit: 7 }).messages.map((message) => message.id), JSON.stringify(kinds[i])).toEqual(expected[i]!.slice(0, 7));
      }
    }
  });

  it("finds an edit at the time of the message it changed, and verify checks that entry too", async () => {
    const { archive, media, folder } = await testArchive();
    const file = join(folder, "WhatsApp Chat with ডিসি অফিস.txt");
    writeFileSync(
      file,
      ["22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: সভা সকাল ১০টায়", "22/10/2024, 12:00 - শাহানা পারভীন: কার্যবিবরণী পাঠানো হলো", "23/10/2024, 12:00 - শাহানা পারভীন: সভা শেষ"].join("\n"),
    );
    await importChatExport(archive, media, file, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log);
    const chat = chatNamed(archive, "ডিসি অফিস");
    const first = archive.get(sql<{ id: number; seq: number }>`SELECT id, seq FROM messages WHERE body = 'সভা সকাল ১০টায়'`)!;
    appendToArchive(archive, fakeClock().now, (chain) =>
      chain.event(editOf(chat, first, dhaka(2024, 10, 24, 15, 0), "সভা সকাল ১১টায়, সংশোধিত")),
    );
    const bodies = (filters: Omit<SearchFilters, "limit">, limit = 5) => searchMessages(archive, { ...filters, limit }).messages.map((m) => m.body);
    expect(bodies({ query: "সংশোধিত" })).toEqual(["সভা সকাল ১০টায়"]);
    expect(bodies({ query: "সংশোধিত", until: dhaka(2024, 10, 22, 9, 30) })).toEqual(["সভা সকাল ১০টায়"]);
    expect(bodies({ query: "সংশোধিত", since: dhaka(2024, 10, 24, 0, 0) })).toEqual([]);
    // Found by its edit and by its own words, it is listed once, in its own place.
    expect(bodies({ query: "সভা" })).toEqual(["সভা শেষ", "সভা সকাল ১০টায়"]);
    expect(bodies({ query: "সভা" }, 1)).toEqual(["সভা শেষ"]);
    expect(verifyChain(archive)).toMatchObject({ intact: true, indexChecked: true });
  });

  it("reports an index entry moved to another hour, as it reports one removed", async () => {
    const { archive } = await officeImportedOutOfOrder();
    const entry = archive.get(sql<{ key: number; text: string }>`SELECT key, text FROM search_documents ORDER BY key DESC LIMIT 1`)!;
    archive.run(sql`INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', ${entry.key}, ${entry.text})`);
    archive.run(sql`INSERT INTO messages_fts(rowid, text) VALUES (${entry.key - 2 ** 33 * 24 * 365}, ${entry.text})`);
    expect(verifyChain(archive)).toMatchObject({ intact: false, table: "search-index", problem: "index" });
  });

  it("rebuilds the index of an archive from before it was kept by time, when the archive is opened", async () => {
    const { archive, path } = await officeImportedOutOfOrder();
    const before = newestFirst(archive, { query: "প্রতিবেদন" });
    // Rolled back in order: the later migration first.
    await downShortPrefixes(archive.db as unknown as Kysely<unknown>);
    await down(archive.db as unknown as Kysely<unknown>);
    archive.run(sql`DELETE FROM kysely_migration WHERE name IN ('2026-11-23T0745-search-by-time', '2026-11-23T1130-search-short-prefixes')`);
    expect(archive.get(sql<{ n: number }>`SELECT max(rowid) AS n FROM messages_fts`)!.n).toBeLessThan(1_000);
    archive.close();

    const upgraded = await openArchive(path);
    try {
      expect(upgraded.get(sql<{ n: number }>`SELECT min(rowid) AS n FROM messages_fts`)!.n).toBeGreaterThan(2 ** 33);
      expect(searchMessages(upgraded, { query: "প্রতিবেদন", limit: 20 }).messages.map((m) => m.id)).toEqual(before.slice(0, 20));
      expect(verifyChain(upgraded)).toMatchObject({ intact: true, indexChecked: true });
    } finally {
      upgraded.close();
    }
  });
});
