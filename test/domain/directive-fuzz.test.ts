import { describe, expect, it } from "vitest";
import { detectDirective } from "../../src/domain/detect-directive.js";
import { readAcknowledgement } from "../../src/domain/read-acknowledgement.js";
import { readLexicons } from "../../src/lexicons.js";
import { dhaka } from "../support.js";

const lexicons = readLexicons();
const SENT = dhaka(2024, 10, 22, 9, 15);

// Generated messages (10,000 in `npm run test:stress`) go through these readers in test/fuzz/fuzz-readers.ts.
describe("directive, deadline and acknowledgement reading take anything without failing", () => {
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
