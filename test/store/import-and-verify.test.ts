import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3-multiple-ciphers";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { readRosterFile } from "../../src/cli/roster.js";
import { applyRoster } from "../../src/store/people.js";
import { showMessage } from "../../src/store/show-message.js";
import { verifyChain } from "../../src/store/verify-chain.js";
import { openArchive } from "../../src/store/open-archive.js";
import { dhaka, fakeClock, memoryLogger, testArchive } from "../support.js";

const GROUP = "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক";
const OPTIONS = { timeZone: "Asia/Dhaka", chatName: GROUP };

async function setUp() {
  const setup = await testArchive();
  const clock = fakeClock();
  const { log, lines } = memoryLogger();
  const importFile = (path: string, options = OPTIONS) => importChatExport(setup.archive, setup.media, path, options, clock.now, log);
  const writeExport = (name: string, text: string) => {
    const path = join(setup.folder, name);
    writeFileSync(path, text);
    return path;
  };
  return { ...setup, clock, log, lines, importFile, writeExport };
}

function count(archive: Awaited<ReturnType<typeof testArchive>>["archive"], table: "messages" | "message_events"): number {
  return archive.get(sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`)!.n;
}

describe("importing the DC office's exported chat", () => {
  it("archives every message with its sender from the roster and its Dhaka time, and system lines as events", async () => {
    const { archive, importFile } = await setUp();
    applyRoster(archive, readRosterFile("data/roster.csv").entries, Date.now());
    const summary = await importFile("data/sample-chat.txt");
    expect(summary).toMatchObject({ chat: GROUP, dateOrder: "dmy", messagesFound: 96, messagesAdded: 96, eventsAdded: 13 });
    expect(count(archive, "messages")).toBe(96);

    const directive = archive.get(
      archive.db.selectFrom("messages").selectAll().where("body", "like", "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে%"),
    )!;
    expect(directive.at).toBe(dhaka(2024, 10, 22, 9, 15));
    expect(directive).toMatchObject({ sender_name: "কাজী মাহমুদুল হাসান", sender_phone: "+8801711000001", source: "import" });

    // A sender the exporter saved only as a number is still the roster's person.
    const byNumber = archive.get(archive.db.selectFrom("messages").selectAll().where("sender_name", "=", "+880 1711-000013"))!;
    expect(byNumber.sender_phone).toBe("+8801711000013");
    expect(showMessage(archive, byNumber.id).sender).toMatchObject({ name: "তাসলিমা খাতুন", designation: "নেজারত ডেপুটি কালেক্টর (এনডিসি)" });
  });

  it("adds nothing when the same export is imported twice", async () => {
    const { archive, importFile } = await setUp();
    await importFile("data/sample-chat.txt");
    const second = await importFile("data/sample-chat.txt");
    expect(second).toMatchObject({ messagesFound: 96, messagesAdded: 0, eventsAdded: 0 });
    expect(count(archive, "messages")).toBe(96);
    // 96 messages, 13 system events and one event per import.
    expect(verifyChain(archive)).toMatchObject({ intact: true, rows: 96 + 13 + 2 });
  });

  it("adds only the new messages of a newer export that overlaps the old one", async () => {
    const { archive, importFile, writeExport } = await setUp();
    const older = writeExport(
      "older.txt",
      [
        "22/10/2024, 09:15 - কাজী মাহমুদুল হাসান: সকল ইউএনওকে প্রতিবেদন পাঠাতে হবে।",
        "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার",
        "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার",
      ].join("\n"),
    );
    const newer = writeExport(
      "newer.txt",
      [
        "22/10/2024, 09:15 - কাজী মাহমুদুল হাসান: সকল ইউএনওকে প্রতিবেদন পাঠাতে হবে।",
        "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার",
        "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার",
        "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার",
        "22/10/2024, 09:20 - তানভীর আহমেদ: অবগত হলাম",
      ].join("\n"),
    );
    expect((await importFile(older)).messagesAdded).toBe(3);
    // The same words from the same officer in the same minute are two messages, not one: the third is new.
    expect((await importFile(newer)).messagesAdded).toBe(2);
    expect((await importFile(newer)).messagesAdded).toBe(0);
    expect(count(archive, "messages")).toBe(5);
  });

  it("records a message deleted or edited since the last export as an event of the original, which stays", async () => {
    const { archive, importFile, writeExport } = await setUp();
    await importFile(
      writeExport(
        "monday.txt",
        [
          "23/10/2024, 11:15 - আরিফুর রহমান: জি স্যার",
          "23/10/2024, 11:15 - আরিফুর রহমান: কালিহাতীর প্রতিবেদন পাঠানো হয়েছে",
          "23/10/2024, 11:16 - আরিফুর রহমান: প্রতিবেদন ইমেইলে পাঠানো হয়েছে",
        ].join("\n"),
      ),
    );
    const tuesday = writeExport(
      "tuesday.txt",
      [
        "23/10/2024, 11:15 - আরিফুর রহমান: জি স্যার",
        "23/10/2024, 11:15 - আরিফুর রহমান: This message was deleted",
        "23/10/2024, 11:16 - আরিফুর রহমান: প্রতিবেদন ই-নথিতে পাঠানো হয়েছে <This message was edited>",
      ].join("\n"),
    );
    const summary = await importFile(tuesday);
    expect(summary).toMatchObject({ messagesAdded: 0, deletionsFound: 1, editsFound: 1 });
    expect((await importFile(tuesday)).eventsAdded).toBe(0);

    const deleted = archive.get(archive.db.selectFrom("messages").select("id").where("body", "=", "কালিহাতীর প্রতিবেদন পাঠানো হয়েছে"))!;
    const shown = showMessage(archive, deleted.id);
    expect(shown).toMatchObject({ deleted: true, body: "কালিহাতীর প্রতিবেদন পাঠানো হয়েছে" });
    const edited = archive.get(archive.db.selectFrom("messages").select("id").where("body", "=", "প্রতিবেদন ইমেইলে পাঠানো হয়েছে"))!;
    expect(showMessage(archive, edited.id)).toMatchObject({ edited: true, editedBody: "প্রতিবেদন ই-নথিতে পাঠানো হয়েছে" });
    // "জি স্যার" was shown again in the same minute, so it was not the deleted one.
    const ack = archive.get(archive.db.selectFrom("messages").select("id").where("body", "=", "জি স্যার"))!;
    expect(showMessage(archive, ack.id).deleted).toBe(false);
    expect(verifyChain(archive).intact).toBe(true);
  });

  it("keeps the roster's people when the roster comes after the chat", async () => {
    const { archive, importFile } = await setUp();
    await importFile("data/sample-chat.txt");
    const before = archive.get(archive.db.selectFrom("messages").select("sender_id").where("sender_name", "=", "শাহানা পারভীন"))!;
    const result = applyRoster(archive, readRosterFile("data/roster.csv").entries, Date.now());
    expect(result.updated).toBeGreaterThan(0);
    const person = archive.get(archive.db.selectFrom("people").selectAll().where("id", "=", before.sender_id))!;
    expect(person).toMatchObject({ phone: "+8801711000004", in_roster: 1, roles: "officer" });
    // A second import still finds the same person, so nothing is duplicated.
    expect((await importFile("data/sample-chat.txt")).messagesAdded).toBe(0);
  });

  it("adds nothing again when a roster joined a saved name and a number between two imports", async () => {
    const { archive, importFile, writeExport } = await setUp();
    // One phone saved the UNO by name, another shows her number.
    const byName = writeExport("a.txt", "22/10/2024, 09:16 - শাহানা পারভীন: জি স্যার\n22/10/2024, 09:20 - শাহানা পারভীন: প্রতিবেদন পাঠানো হয়েছে");
    const byNumber = writeExport("b.txt", "22/10/2024, 09:16 - +880 1711-000004: জি স্যার\n22/10/2024, 09:30 - +880 1711-000004: ধন্যবাদ");
    await importFile(byName);
    await importFile(byNumber);
    // Without a roster nothing says the name and the number are one person: her 09:16 reply is there twice.
    expect(count(archive, "messages")).toBe(4);
    applyRoster(archive, readRosterFile("data/roster.csv").entries, Date.now());
    expect((await importFile(byName)).messagesAdded).toBe(0);
    expect((await importFile(byNumber)).messagesAdded).toBe(0);
    expect(count(archive, "messages")).toBe(4);
  });

  it("keeps what a partial roster leaves empty, and shows each message's archived sender", async () => {
    const { archive, importFile, writeExport } = await setUp();
    applyRoster(archive, readRosterFile("data/roster.csv").entries, Date.now());
    await importFile("data/sample-chat.txt");
    const phonesOnly = writeExport("phones.csv", "phone\n01711000001\n");
    applyRoster(archive, readRosterFile(phonesOnly).entries, Date.now());
    const directive = archive.get(archive.db.selectFrom("messages").select("id").where("sender_phone", "=", "+8801711000001"))!;
    expect(showMessage(archive, directive.id).sender).toEqual({
      id: "8801711000001@c.us",
      phone: "+8801711000001",
      name: "কাজী মাহমুদুল হাসান",
      designation: "জেলা প্রশাসক, টাঙ্গাইল",
      shownAs: "কাজী মাহমুদুল হাসান",
    });
  });

  it("logs counts, never message bodies or phone numbers", async () => {
    const { importFile, lines } = await setUp();
    await importFile("data/sample-chat.txt");
    const log = lines().join("\n");
    expect(log).toContain("chat export imported");
    expect(log).not.toMatch(/\+?8801711|প্রতিবেদন|স্যার/);
  });
});

/** SQL that swaps two messages' places in the chain. */
function swapSeq(a: number, b: number): string {
  return `CREATE TEMP TABLE places AS SELECT id, seq FROM messages WHERE id IN (${a}, ${b});
    UPDATE messages SET seq = -seq WHERE id IN (${a}, ${b});
    UPDATE messages SET seq = (SELECT seq FROM places WHERE places.id = CASE messages.id WHEN ${a} THEN ${b} ELSE ${a} END)
      WHERE id IN (${a}, ${b});`;
}

describe("the hash chain", () => {
  async function importedArchive() {
    const setup = await setUp();
    await setup.importFile("data/sample-chat.txt");
    setup.archive.close();
    const raw = new Database(setup.path);
    const reopen = async () => {
      raw.close();
      const archive = await openArchive(setup.path);
      return archive;
    };
    return { raw, reopen };
  }

  it("holds after import and names its head", async () => {
    const { raw, reopen } = await importedArchive();
    void raw;
    const archive = await reopen();
    const verdict = verifyChain(archive);
    archive.close();
    expect(verdict).toMatchObject({ intact: true, rows: 110, indexChecked: true });
  });

  it("refuses updates and deletions while its triggers are in place", async () => {
    const { raw } = await importedArchive();
    expect(() => raw.prepare("UPDATE messages SET body = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => raw.prepare("DELETE FROM message_events WHERE id = 1").run()).toThrow(/append-only/);
    raw.close();
  });

  it.each([
    ["a body changed directly in the file", "UPDATE messages SET body = body || '.' WHERE id = 7", { seq: expect.any(Number), problem: "altered", table: "message", id: 7 }],
    ["a time moved", "UPDATE messages SET at = at + 60000 WHERE id = 20", { problem: "altered", id: 20 }],
    ["a sender swapped", "UPDATE messages SET sender_name = 'অন্য কেউ' WHERE id = 30", { problem: "altered", id: 30 }],
    ["a message pinned on another person", "UPDATE messages SET sender_id = 2 WHERE id = 50", { problem: "altered", id: 50 }],
    ["a system event changed", "UPDATE message_events SET body = 'x' WHERE id = 2", { problem: "altered", table: "event", id: 2 }],
    ["a message removed", "DELETE FROM messages WHERE id = 40", { problem: "missing" }],
    ["the chat's key rewritten", "UPDATE chats SET key = 'name:other'", { problem: "altered", seq: 1 }],
    ["two messages swapped in order", swapSeq(10, 11), { problem: "altered" }],
    ["the last rows cut off", "DELETE FROM messages WHERE seq > 100; DELETE FROM message_events WHERE seq > 100", { problem: "truncated", table: "import" }],
    ["an import's record naming another file", "UPDATE imports SET file_name = 'other.txt'", { problem: "altered", table: "import", id: 1 }],
    ["a message moved to another import", "UPDATE messages SET import_id = 2 WHERE id = 3", { problem: "altered", table: "message", id: 3 }],
    ["a row moved far beyond the end", "UPDATE messages SET seq = 1000000000 WHERE id = 50", { problem: "missing" }],
    ["every row deleted", "DELETE FROM messages; DELETE FROM message_events", { problem: "truncated", rows: 0 }],
    ["the last row changed and its hash recomputed", `UPDATE messages SET hash = '${"e".repeat(64)}' WHERE seq = 110`, { problem: expect.stringMatching(/altered|rehashed/) }],
  ])("finds %s even with the triggers dropped", async (_story, statement, expected) => {
    const { raw, reopen } = await importedArchive();
    raw.exec("DROP TRIGGER messages_no_update; DROP TRIGGER messages_no_delete; DROP TRIGGER message_events_no_update; DROP TRIGGER message_events_no_delete;");
    raw.pragma("foreign_keys = OFF");
    raw.exec(statement);
    const archive = await reopen();
    const verdict = verifyChain(archive);
    archive.close();
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ intact: false, ...expected });
  });

  it("finds a changed row whose hash was recomputed to hide it, by the next row's link", async () => {
    const { raw, reopen } = await importedArchive();
    raw.exec("DROP TRIGGER messages_no_update");
    raw.prepare("UPDATE messages SET hash = ? WHERE id = 5").run("f".repeat(64));
    const archive = await reopen();
    const verdict = verifyChain(archive);
    archive.close();
    expect(verdict).toMatchObject({ intact: false, table: "message", id: 5 });
  });

  it("finds a search index edited to hide a message, and rebuilds it from the rows", async () => {
    const { raw, reopen } = await importedArchive();
    const { seq, body } = raw.prepare("SELECT seq, body FROM messages WHERE body LIKE '%ত্রাণ%' LIMIT 1").get() as { seq: number; body: string };
    raw.prepare("INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', ?, ?)").run(seq, body);
    const archive = await reopen();
    expect(verifyChain(archive)).toMatchObject({ intact: false, table: "search-index", problem: "index" });
    archive.run(sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`);
    expect(verifyChain(archive)).toMatchObject({ intact: true });
    archive.close();
  });

  it("verifies an empty archive as intact", async () => {
    const { archive } = await testArchive();
    expect(verifyChain(archive)).toEqual({ intact: true, rows: 0, head: "0".repeat(64), indexChecked: true });
  });
});
