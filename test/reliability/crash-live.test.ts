import { describe, expect, it } from "vitest";
import { crashFolder, crashLive, verifyInProcess } from "./crash-harness.js";

// The small version of the crash test for the live bot (test/stress/crash.stress.ts: 20 kills at 100,000 messages).
describe("the live bot killed with SIGKILL mid-work", () => {
  it("keeps every message it reported archived, once, and a restart catches up what came while it was down", async () => {
    const report = await crashLive({ folder: crashFolder(), messages: 1_000, groups: 5, seed: 8, kills: 3, killWithinMs: 2_000, maxGap: 200, verify: verifyInProcess });
    expect(report.problems).toEqual([]);
    expect(report.kills.filter((kill) => kill.killed)).toHaveLength(3);
  }, 60_000);
});
