import { describe, expect, it } from "vitest";
import { crashFolder, crashImports, verifyInProcess } from "./crash-harness.js";

// The small version of the crash test for imports (test/stress/crash.stress.ts kills 20 times at 100,000
// messages and compares with a clean run): a power cut at any moment loses no file that was reported stored.
describe("nirdesh import killed with SIGKILL mid-work", () => {
  it("keeps every export file it reported, none half, and the same import run again completes it", async () => {
    const report = await crashImports({ folder: crashFolder(), messages: 5_000, groups: 5, seed: 8, rounds: 1, killsPerRound: 3, cleanRun: false, runMs: 2_500, verify: verifyInProcess });
    expect(report.problems).toEqual([]);
    expect(report.kills.filter((kill) => kill.killed)).toHaveLength(3);
    expect(report.kills[0]!.timing).toBe("first open");
  }, 60_000);
});
