import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { searchPhrases, searchTerms } from "../../src/domain/search-text.js";
import { appendToArchive } from "../../src/store/append-to-archive.js";
import { chatNamed } from "../../src/store/chats.js";
import { type Kysely } from "kysely";
import { down } from "../../src/store/migrations/2026-11-23T1130-search-short-prefixes.js";
import { type Archive, openArchive } from "../../src/store/open-archive.js";
import { PLAIN_WORD, searchMessages } from "../../src/store/search-messages.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { dhaka, editOf, fakeClock, memoryLogger, testArchive } from "../support.js";

/**
 * A chat where the longer forms of a word are newer than the word itself: thirty reports asked for on
 * the 1st, প্রতিবেদনটি and প্রতিবেদনের on the 2nd, then the word alone again; report, reports,
 * reported and reporter; ward 7 and ten longer numbers after it (more than are looked for one by one).
 */
function officeLines(): string[] {
  const lines: string[] = [];
  const at = (day: number, minute: number) => `0${day}/11/2024, ${String(9 + Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
  for (let i = 0; i < 30; i++) lines.push(`${at(1, i)} - কাজী মাহমুদুল হাসান: প্রতিবেদন পাঠান ${i}`);
  for (let i = 0; i < 30; i++) lines.push(`${at(1, 30 + i)} - শাহানা পারভীন: report sent, ward ${i % 3 === 0 ? 7 : 5}`);
  lines.push(`${at(2, 0)} - শাহানা পারভীন: প্রতিবেদনটি দেখেছি`);
  lines.push(`${at(2, 5)} - তানভীর আহমেদ: প্রতিবেদনের কপি পাঠালাম`);
  lines.push(`${at(2, 6)} - তানভীর আহমেদ: reports attached for ward 71`);
  lines.push(`${at(2, 7)} - তানভীর আহমেদ: the reporter from ward 700 came`);
  for (let n = 70; n < 80; n++) lines.push(`${at(2, n - 60)} - আরিফুর রহমান: ward ${n} reported`);
  lines.push(`${at(3, 0)} - কাজী মাহমুদুল হাসান: প্রতিবেদন পেয়েছি, ward 7`);
  return lines;
}

async function office() {
  return (await officeAt()).archive;
}

async function officeAt() {
  const { archive, media, folder, path } = await testArchive();
  const file = join(folder, "WhatsApp Chat with ডিসি অফিস.txt");
  writeFileSync(file, officeLines().join("\n"));
  await importChatExport(archive, media, file, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log);
  return { archive, path };
}

/**
 * What the search must find, worked out without the index: the messages with a text (the body or an
 * edit) holding every group of words together, the last word of each as the start of a word; newest first.
 */
function expected(archive: Archive, query: string): number[] {
  const phrases = searchPhrases(query);
  const holds = (text: string) => {
    const words = searchTerms(text);
    return phrases.every((phrase) =>
      words.some((_, i) => phrase.every((word, j) => (j === phrase.length - 1 ? words[i + j]?.startsWith(word) : words[i + j] === word))),
    );
  };
  const rows = archive.all(
    sql<{ id: number; at: number; body: string }>`SELECT id, at, body FROM messages
      UNION ALL SELECT m.id, m.at, e.body FROM message_events e JOIN messages m ON m.id = e.message_id WHERE e.kind = 'edit'`,
  );
  const found = new Map(rows.filter((row) => holds(row.body)).map((row) => [row.id, row.at]));
  return [...found].sort(([idA, atA], [idB, atB]) => atB - atA || idB - idA).map(([id]) => id);
}

const QUERIES = ["প্রতিবেদন", "প্রতিবেদনটি", "report", "reports", "ward 7", "ward-7", "7", "ward-70", "প্রতিবেদন ward-7", "report 7", "প্রতিবেদনগুলো"];

describe("a word finds its longer forms, newest first", () => {
  it("shows প্রতিবেদনটি and reporter before older messages with the word itself, at every page size", async () => {
    const archive = await office();
    for (const query of QUERIES) {
      const all = expected(archive, query);
      for (const limit of [1, 2, 3, 5, 10, 31, 50, 100]) {
        const found = searchMessages(archive, { query, limit });
        expect(found.messages.map((message) => message.id), `${query}, ${limit}`).toEqual(all.slice(0, limit));
        expect(found.more).toBe(all.length > limit);
      }
    }
    // The story: the newest messages with a longer form come before the thirty older ones with the word itself.
    expect(searchMessages(archive, { query: "প্রতিবেদন", limit: 3 }).messages.map((message) => message.body)).toEqual([
      "প্রতিবেদন পেয়েছি, ward 7",
      "প্রতিবেদনের কপি পাঠালাম",
      "প্রতিবেদনটি দেখেছি",
    ]);
  });

  it("finds a longer form archived a moment ago, in the same transaction, and one only an edit holds", async () => {
    const archive = await office();
    const chat = chatNamed(archive, "ডিসি অফিস");
    const first = archive.get(sql<{ id: number; seq: number }>`SELECT id, seq FROM messages ORDER BY id LIMIT 1`)!;
    const newest = archive.get(sql<{ id: number }>`SELECT id FROM messages ORDER BY at DESC, id DESC LIMIT 1`)!;
    appendToArchive(archive, fakeClock().now, (chain) => {
      chain.event(editOf(chat, first, dhaka(2024, 11, 4, 9, 0), "প্রতিবেদনসমূহ পাঠান, reportage"));
      // Not yet committed: the index's new words are still in its pending entries.
      expect(searchMessages(archive, { query: "প্রতিবেদনস", limit: 5 }).messages.map((message) => message.id)).toEqual([first.id]);
      expect(searchMessages(archive, { query: "reportag", limit: 5 }).messages.map((message) => message.id)).toEqual([first.id]);
    });
    for (const query of [...QUERIES, "প্রতিবেদনস", "reportage"]) {
      expect(searchMessages(archive, { query, limit: 100 }).messages.map((message) => message.id), query).toEqual(expected(archive, query));
    }
    expect(searchMessages(archive, { query: "প্রতিবেদন", limit: 1 }).messages[0]!.id).toBe(newest.id);
  });

  it("reads every character of a plain word as the index does: one word, unchanged", async () => {
    const { archive } = await testArchive();
    // The tokenizer exactly as the archive's index was created with it.
    const created = archive.get(sql<{ sql: string }>`SELECT sql FROM sqlite_schema WHERE name = 'messages_fts'`)!.sql;
    const tokenize = /tokenize\s*=\s*("(?:[^"]|"")*"|'(?:[^']|'')*')/.exec(created)![1]!;
    archive.sqlite.exec(`CREATE VIRTUAL TABLE temp.words USING fts5(text, tokenize=${tokenize})`);
    archive.sqlite.exec("CREATE VIRTUAL TABLE temp.words_vocabulary USING fts5vocab(temp, words, row)");
    const plain: string[] = [];
    for (let code = 0; code < 0x10000; code++) {
      const character = String.fromCharCode(code);
      if (PLAIN_WORD.test(character)) plain.push(character);
    }
    // ASCII letters and digits, and 88 letters, digits and signs of the Bangla block.
    expect(plain.length).toBe(36 + 88);
    // Each character alone, and after a letter (a vowel sign or hasanta is never a word's first character in text).
    const words = [...plain, ...plain.map((character) => `ক${character}`)];
    archive.sqlite.prepare("INSERT INTO temp.words (text) VALUES (?)").run(words.join(" "));
    const indexed = archive.sqlite.prepare("SELECT term FROM temp.words_vocabulary").pluck().all();
    expect(new Set(indexed)).toEqual(new Set(words));
  });

  it("keeps lists of the words that begin with each one or two characters, rebuilt when an older archive is opened", async () => {
    const { archive, path } = await officeAt();
    const before = QUERIES.map((query) => expected(archive, query));
    await down(archive.db as unknown as Kysely<unknown>);
    archive.run(sql`DELETE FROM kysely_migration WHERE name = '2026-11-23T1130-search-short-prefixes'`);
    const created = () => archive.get(sql<{ sql: string }>`SELECT sql FROM sqlite_schema WHERE name = 'messages_fts'`)!.sql;
    expect(created()).not.toContain("prefix");
    archive.close();

    const upgraded = await openArchive(path);
    try {
      expect(upgraded.get(sql<{ sql: string }>`SELECT sql FROM sqlite_schema WHERE name = 'messages_fts'`)!.sql).toContain("prefix='1 2'");
      for (const [i, query] of QUERIES.entries()) {
        expect(searchMessages(upgraded, { query, limit: 100 }).messages.map((message) => message.id), query).toEqual(before[i]);
      }
      expect(verifyChain(upgraded)).toMatchObject({ intact: true, indexChecked: true });
    } finally {
      upgraded.close();
    }
  });
});
