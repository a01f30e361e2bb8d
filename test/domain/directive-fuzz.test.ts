import { describe, expect, it } from "vitest";
import { detectDirective } from "../../src/domain/detect-directive.js";
import { readAcknowledgement } from "../../src/domain/read-acknowledgement.js";
import { readDeadline } from "../../src/domain/read-deadline.js";
import { readLexicons } from "../../src/lexicons.js";
import { dhaka } from "../support.js";

const lexicons = readLexicons();
const SENT = dhaka(2024, 10, 22, 9, 15);

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

// Pieces of what superiors and officers write, and of what breaks readers: marks, joiners, digits, dates.
const PIECES = [
  "সকল ইউএনও", "পাঠাতে হবে", "আগামীকাল", "বিকাল ৩টার মধ্যে", "৩১/০২/২০২৪", "99/99/9999", "৩২ অক্টোবর", "রাত ১২.৬০", "by 13 PM", "within 0 days",
  "৯৯৯ দিনের মধ্যে", "আগামী রবিবার", "জি স্যার", "পাঠানো হয়েছে", "?", "।", "\n", "১.", "@", "\u200d", "\u200c", "\u200e", "\u2068", "\u0000", "👍🏽", "🙏",
  "*তে হবে", "(", ")", "[", "\\", "$&", "সিদ্ধান্ত:", "Decision:", "please", "don't", "ajker moddhe", "kal 4tar", " ", "  ", "টা", "টায়", "ঘটিকায়",
];

function noise(seed: number, pieces: number): string {
  const { next, pick } = random(seed);
  let text = "";
  for (let i = 0; i < pieces; i++) text += next() < 0.15 ? String.fromCharCode(Math.floor(next() * 0xffff)) : pick(PIECES);
  return text;
}

describe("directive, deadline and acknowledgement reading take anything without failing", () => {
  it("10,000 generated messages: a verdict, a deadline after the message or none, and an answer or none", () => {
    for (let seed = 0; seed < 10_000; seed++) {
      const body = noise(seed, 1 + (seed % 25));
      const detection = detectDirective({ body, type: "text", at: SENT, forwarded: false, mentions: [] }, lexicons.directive, "Asia/Dhaka");
      expect(typeof detection.directive).toBe("boolean");
      expect(detection.confidence).toBeGreaterThanOrEqual(0);
      expect(detection.confidence).toBeLessThanOrEqual(1);
      const deadline = readDeadline(body, SENT, "Asia/Dhaka");
      if (deadline) expect(deadline.at).toBeGreaterThanOrEqual(SENT);
      const answer = readAcknowledgement(body, lexicons.acknowledgement);
      if (answer) expect(["acknowledged", "done"]).toContain(answer.kind);
    }
  });

  it("a 100,000-character message is read without quadratic work", () => {
    const body = `${"সকল ইউএনও আগামীকাল বিকাল ৩টার মধ্যে প্রতিবেদন পাঠাবেন। ".repeat(1_800)}`.slice(0, 100_000);
    const started = performance.now();
    const detection = detectDirective({ body, type: "text", at: SENT, forwarded: false, mentions: [] }, lexicons.directive, "Asia/Dhaka");
    readAcknowledgement(body, lexicons.acknowledgement);
    expect(detection.directive).toBe(true);
    // Generous: this guards against quadratic work, not for speed (that is the benchmark's job).
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
