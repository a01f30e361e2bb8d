import { describe, expect, it } from "vitest";
import { parseChatExport } from "../../src/chat-export/parse-chat-export.js";
import { parseRoster } from "../../src/domain/roster.js";
import { readDate } from "../../src/domain/read-date.js";
import { searchPhrases } from "../../src/domain/search-text.js";
import { UserError } from "../../src/user-error.js";

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const PIECES = [
  "22/10/2024, 09:15 - ", "[22/10/24, 9:15:03\u202fAM] ", "২২/১০/২০২৪, ০৯:১৫ - ", "13.6.2018 klo 21.25.15 - ", "2024-10-22 ", "31/02/2024, 09:00 - ",
  "কাজী মাহমুদুল হাসান: ", "+880 1711-000013: ", "~\u202fনাম: ", ": ", "\u200e", "\u202a", "\u2068", "\u2069", "<attached: ", ">", " (file attached)",
  "This message was deleted", "<This message was edited>", "image omitted", "POLL:\n", "\n", "\r\n", "\u0000", "\ufeff", "প্রতিবেদন", "👍", "\"", "(", "*",
  "NEAR(", "OR", "\\", "%", "'; DROP TABLE messages; --", "a".repeat(5000),
];

function noise(seed: number, pieces: number): string {
  const { next, pick } = random(seed);
  let text = "";
  for (let i = 0; i < pieces; i++) text += next() < 0.1 ? String.fromCharCode(Math.floor(next() * 0xffff)) : pick(PIECES);
  return text;
}

/** Only our own, user-facing errors may come out of reading what a user gives. */
function onlyUserErrors(read: () => unknown) {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
  }
}

describe("generated input never breaks the readers", () => {
  it("10,000 generated exports parse or are refused with a user-facing error", () => {
    for (let seed = 1; seed <= 10_000; seed++) {
      onlyUserErrors(() => {
        const { entries } = parseChatExport(noise(seed, 1 + (seed % 40)), { timeZone: "Asia/Dhaka" });
        for (const entry of entries) {
          expect(Number.isFinite(entry.at)).toBe(true);
          expect(entry.body).not.toMatch(/^\u200e/);
        }
      });
    }
  });

  it("10,000 generated rosters load or are refused with a user-facing error", () => {
    for (let seed = 1; seed <= 10_000; seed++) {
      onlyUserErrors(() => parseRoster(`phone,name,designation,role\n${noise(seed, 1 + (seed % 12))}`, "roster.csv"));
    }
  });

  it("10,000 generated dates and queries are read without an error", () => {
    for (let seed = 1; seed <= 10_000; seed++) {
      const text = noise(seed, 1 + (seed % 6));
      expect(() => readDate(text, "Asia/Dhaka")).not.toThrow();
      expect(() => searchPhrases(text)).not.toThrow();
    }
  });
});
