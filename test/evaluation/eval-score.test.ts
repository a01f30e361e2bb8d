import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

// `npm run eval` on the labelled sets in test/fixtures/directives, through the built pipeline (npm test
// builds first). The floors sit a little under today's figures so that a lexicon change that makes
// detection or attribution worse fails here, while the figures themselves are reported by `npm run eval`.
type Score = { precision: number; recall: number; f1: number };
type SetResult = {
  detection: Score;
  messages: { deadline: { accuracy: number; labelled: number } };
  chats: { chats: number; attribution: { accuracy: number; answers: number }; pending: Score & { chatsExact: number } };
};

let result: Record<string, SetResult>;
beforeAll(() => {
  const script = fileURLToPath(new URL("../../scripts/eval.js", import.meta.url));
  result = JSON.parse(execFileSync(process.execPath, [script, "--json"], { encoding: "utf8" })) as Record<string, SetResult>;
}, 60_000);

describe("npm run eval keeps its scores", () => {
  it("finds the directives of the tuning set (F1 ≥ 0.97) and reads their deadlines", () => {
    expect(result.tuning!.detection.f1).toBeGreaterThanOrEqual(0.97);
    expect(result.tuning!.messages.deadline.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("attributes acknowledgements and leaves exactly the right officers pending in every tuning chat", () => {
    const { chats } = result.tuning!;
    expect(chats.attribution.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(chats.pending.chatsExact).toBe(chats.chats);
  });

  it("does nearly as well on the sets scored unseen first (F1 ≥ 0.9, attribution ≥ 0.88)", () => {
    for (const [name, set] of Object.entries(result).filter(([name]) => name !== "tuning")) {
      expect(set.detection.f1, name).toBeGreaterThanOrEqual(0.9);
      if (set.chats.chats > 0) expect(set.chats.attribution.accuracy, name).toBeGreaterThanOrEqual(0.88);
    }
  });
});
