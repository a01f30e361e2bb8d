import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { findTermRanges, searchTerms } from "../../src/domain/search-text.js";
import { readRosterFile } from "../../src/cli/roster.js";
import { applyRoster, findPeople } from "../../src/store/people.js";
import { chatNamed } from "../../src/store/chats.js";
import { searchMessages } from "../../src/store/search-messages.js";
import { UserError } from "../../src/user-error.js";
import { dhaka, fakeClock, memoryLogger, testArchive } from "../support.js";

const LINES = [
  "22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: আগামীকালের মধ্যে প্রতিবেদনটি পাঠাতে হবে।",
  "22/10/2024, 09:05 - শাহানা পারভীন: প্রতিবেদন তৈরি করা হয়েছে",
  "22/10/2024, 09:06 - তানভীর আহমেদ: আমরা কাজটি করতে পারব",
  "22/10/2024, 09:07 - আরিফুর রহমান: দয়া করে করুন",
  "22/10/2024, 09:08 - ফারহানা আক্তার: নিয়মিত সভা হবে",
  "22/10/2024, 09:09 - ফারহানা আক্তার: Please submit the REPORT by 4 PM, café closed",
  '22/10/2024, 09:10 - মো. রাশেদুল করিম: সভা "জরুরি" (NEAR(x) OR y*) ; DROP TABLE messages; --',
  "23/10/2024, 10:00 - কাজী মাহমুদুল হাসান: ২০২৪ সালের বাজেট ১৫০০০ টাকা",
  "24/10/2024, 10:00 - শাহানা পারভীন: র‍্যাব ও পুলিশের সমন্বয় সভা",
  "24/10/2024, 11:00 - শাহানা পারভীন: 100% done",
  // য় written as য + nukta (U+09AF U+09BC), as some keyboards type it.
  "24/10/2024, 12:00 - তানভীর আহমেদ: \u09a8\u09bf\u09af\u09bc\u09ae\u09bf\u09a4 প্রতিবেদন",
];

async function archiveWithChat() {
  const { archive, media, folder } = await testArchive();
  applyRoster(archive, readRosterFile("data/roster.csv").entries, Date.now());
  const path = join(folder, "WhatsApp Chat with ডিসি অফিস.txt");
  writeFileSync(path, LINES.join("\n"));
  await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka" }, fakeClock().now, memoryLogger().log);
  const search = (query: string, extra: Partial<Parameters<typeof searchMessages>[1]> = {}) =>
    searchMessages(archive, { query, limit: 50, ...extra }).messages.map((message) => message.body);
  return { archive, search };
}

describe("searching the archive in Bangla", () => {
  it("finds a word with its suffixes: প্রতিবেদন finds প্রতিবেদনটি", async () => {
    const { search } = await archiveWithChat();
    expect(search("প্রতিবেদন")).toEqual([
      "\u09a8\u09bf\u09af\u09bc\u09ae\u09bf\u09a4 প্রতিবেদন",
      "প্রতিবেদন তৈরি করা হয়েছে",
      "আগামীকালের মধ্যে প্রতিবেদনটি পাঠাতে হবে।",
    ]);
  });

  it("does not split words at vowel signs: করা finds করা but not করতে or করুন", async () => {
    const { search } = await archiveWithChat();
    expect(search("করা")).toEqual(["প্রতিবেদন তৈরি করা হয়েছে"]);
    expect(search("করতে")).toEqual(["আমরা কাজটি করতে পারব"]);
    expect(search("করুন")).toEqual(["দয়া করে করুন"]);
  });

  it("treats the two ways of typing য় as one letter", async () => {
    const { search } = await archiveWithChat();
    expect(search("নিয়মিত")).toHaveLength(2);
    expect(search("\u09a8\u09bf\u09af\u09bc\u09ae\u09bf\u09a4")).toHaveLength(2);
  });

  it("reads Bangla and ASCII digits as the same number", async () => {
    const { search } = await archiveWithChat();
    expect(search("2024")).toEqual(["২০২৪ সালের বাজেট ১৫০০০ টাকা"]);
    expect(search("১৫০০০")).toEqual(["২০২৪ সালের বাজেট ১৫০০০ টাকা"]);
  });

  it("finds words joined by a zero-width joiner (র‍্যাব)", async () => {
    const { search } = await archiveWithChat();
    expect(search("র‍্যাব")).toEqual(["র‍্যাব ও পুলিশের সমন্বয় সভা"]);
  });

  it("needs every word of a query, in any order", async () => {
    const { search } = await archiveWithChat();
    expect(search("সভা সমন্বয়")).toEqual(["র‍্যাব ও পুলিশের সমন্বয় সভা"]);
  });

  it("ignores case and Latin accents in English", async () => {
    const { search } = await archiveWithChat();
    expect(search("report")).toHaveLength(1);
    expect(search("CAFE")).toHaveLength(1);
  });
});

describe("search text is never search syntax", () => {
  it.each(['"', '"জরুরি', "NEAR(x", "y*", "OR", "AND NOT", "(", ")", "*", "^", "'; DROP TABLE messages; --", "জরুরি\"", "col:value", "\u0000", "ـ"])(
    "%j is searched as text, without an error",
    async (query) => {
      const { search } = await archiveWithChat();
      expect(() => search(query)).not.toThrow();
    },
  );

  it("finds the message that literally contains the words of a hostile query", async () => {
    const { search } = await archiveWithChat();
    expect(search('(NEAR(x) OR y*)')).toEqual(['সভা "জরুরি" (NEAR(x) OR y*) ; DROP TABLE messages; --']);
    expect(search("DROP TABLE messages")).toHaveLength(1);
  });

  it("looks for punctuation-only queries as written", async () => {
    const { search } = await archiveWithChat();
    expect(search("%")).toEqual(["100% done"]);
    expect(search("; --")).toHaveLength(1);
  });

  it("refuses a query longer than a thousand characters with a clear error", async () => {
    const { search } = await archiveWithChat();
    expect(() => search("ক".repeat(1001))).toThrow(UserError);
  });

  it("reads the query's words the way the index does", () => {
    expect(searchTerms('"NEAR(প্রতিবেদন" OR ২০২৪*')).toEqual(["near", "প্রতিবেদন", "or", "2024"]);
  });

  it("marks where the words were found, whole words from their start", () => {
    const text = "প্রতিবেদনটি আজ পাঠাতে হবে, প্রতিবেদন";
    expect(findTermRanges(text, ["প্রতিবেদন"]).map(([a, b]) => text.slice(a, b))).toEqual(["প্রতিবেদনটি", "প্রতিবেদন"]);
  });
});

describe("filters", () => {
  it("narrows by chat, sender, and dates, newest first", async () => {
    const { archive, search } = await archiveWithChat();
    const chat = chatNamed(archive, "ডিসি অফিস");
    expect(search("সভা", { chatId: chat.id })).toHaveLength(3);
    const shahana = findPeople(archive, "শাহানা পারভীন").map((person) => person.id);
    expect(search("", { senderIds: shahana })).toEqual(["100% done", "র‍্যাব ও পুলিশের সমন্বয় সভা", "প্রতিবেদন তৈরি করা হয়েছে"]);
    expect(search("", { since: dhaka(2024, 10, 24, 0, 0) })).toHaveLength(3);
    expect(search("", { until: dhaka(2024, 10, 22, 9, 5) })).toEqual(["প্রতিবেদন তৈরি করা হয়েছে", "আগামীকালের মধ্যে প্রতিবেদনটি পাঠাতে হবে।"]);
  });

  it("finds people by phone in any form, by name or part of it", async () => {
    const { archive } = await archiveWithChat();
    expect(findPeople(archive, "01711-000004").map((p) => p.name)).toEqual(["শাহানা পারভীন"]);
    expect(findPeople(archive, "শাহানা").map((p) => p.name)).toEqual(["শাহানা পারভীন"]);
    expect(findPeople(archive, "%")).toEqual([]);
  });

  it("says how many more there are beyond the limit", async () => {
    const { archive } = await archiveWithChat();
    const result = searchMessages(archive, { limit: 2 });
    expect(result.messages).toHaveLength(2);
    expect(result.more).toBe(true);
  });

  it("names an unknown chat as the user's error", async () => {
    const { archive } = await archiveWithChat();
    expect(() => chatNamed(archive, "নেই এমন গ্রুপ")).toThrow(UserError);
  });
});

describe("messages at the edges", () => {
  it("stores and finds a 100,000-character message, an empty one and one of only emoji", async () => {
    const { archive, media, folder } = await testArchive();
    const huge = `${"ক".repeat(50_000)} জরুরিনির্দেশ ${"খ".repeat(49_980)}`;
    const path = join(folder, "edges.txt");
    writeFileSync(
      path,
      [
        `22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: ${huge}`,
        "22/10/2024, 09:01 - শাহানা পারভীন: ",
        "22/10/2024, 09:02 - তানভীর আহমেদ: 👍🙏",
      ].join("\n"),
    );
    const summary = await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: "সীমা" }, fakeClock().now, memoryLogger().log);
    expect(summary.messagesAdded).toBe(3);
    const found = searchMessages(archive, { query: "জরুরিনির্দেশ", limit: 5 }).messages;
    expect(found).toHaveLength(1);
    expect(found[0]!.body).toHaveLength(huge.length);
    expect(searchMessages(archive, { query: "👍", limit: 5 }).messages.map((m) => m.body)).toEqual(["👍🙏"]);
    const empty = searchMessages(archive, { senderIds: findPeople(archive, "শাহানা পারভীন").map((p) => p.id), limit: 5 }).messages;
    expect(empty.map((m) => m.body)).toEqual([""]);
  });
});

describe("words typed together stay together", () => {
  it("finds ই-নথি and a dotted date as written, not their words anywhere", async () => {
    const { archive, media, folder } = await testArchive();
    const path = join(folder, "together.txt");
    writeFileSync(
      path,
      [
        "22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: প্রতিবেদন ই-নথিতে পাঠাবেন",
        "22/10/2024, 09:01 - কাজী মাহমুদুল হাসান: নথি দেখে ই মেইল করবেন",
        "22/10/2024, 09:02 - কাজী মাহমুদুল হাসান: ২২.১০.২০২৪ তারিখের সভা",
        "22/10/2024, 09:03 - কাজী মাহমুদুল হাসান: ১০ জন, ২২ তারিখ, ২০২৪ সাল",
      ].join("\n"),
    );
    await importChatExport(archive, media, path, { timeZone: "Asia/Dhaka", chatName: "নথি" }, fakeClock().now, memoryLogger().log);
    const search = (query: string) => searchMessages(archive, { query, limit: 5 }).messages.map((m) => m.body);
    expect(search("ই-নথি")).toEqual(["প্রতিবেদন ই-নথিতে পাঠাবেন"]);
    expect(search("22.10.2024")).toEqual(["২২.১০.২০২৪ তারিখের সভা"]);
    expect(search("নথি ই")).toHaveLength(2);
  });
});

describe("generated queries against a real index", () => {
  it("2,000 queries of syntax, marks and random characters never raise an error", async () => {
    const { archive } = await archiveWithChat();
    const pieces = ['"', "(", ")", "*", "^", ":", "-", "+", "NEAR(", " OR ", " AND ", " NOT ", "প্রতিবেদন", "ক", "\u200d", "\u09bc", "'", ";", "%", "_", "\\", "২০২৪", " "];
    let state = 7;
    const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    for (let i = 0; i < 2_000; i++) {
      let query = "";
      const length = 1 + Math.floor(next() * 8);
      for (let j = 0; j < length; j++) query += next() < 0.15 ? String.fromCharCode(1 + Math.floor(next() * 0xfffe)) : pieces[Math.floor(next() * pieces.length)];
      expect(() => searchMessages(archive, { query, limit: 5 }), JSON.stringify(query)).not.toThrow();
    }
  });
});
