import { describe, expect, it } from "vitest";
import { temporaryFolder } from "../support.js";
import { crashImports, crashLive, verifyInProcess } from "./crash-harness.js";

// The small version of the crash test (test/stress/crash.stress.ts kills 20 times per mode at 100,000
// messages): a power cut at any moment loses nothing that was reported stored and stores nothing twice.
describe("an archive killed with SIGKILL mid-work", () => {
  it("keeps every export file `nirdesh import` reported, none half, and the same import run again completes it as a clean run would", async () => {
    const report = await crashImports({ folder: temporaryFolder(), messages: 5_000, groups: 5, seed: 8, rounds: 1, killsPerRound: 3, verify: verifyInProcess });
    expect(report.problems).toEqual([]);
    expect(report.kills.filter((kill) => kill.killed)).toHaveLength(3);
    expect(report.kills[0]!.timing).toBe("first open");
  }, 60_000);

  it("keeps every live message the bot reported archived, once, and a restart catches up what came while it was down", async () => {
    const report = await crashLive({ folder: temporaryFolder(), messages: 3_000, groups: 5, seed: 8, kills: 3, killWithinMs: 2_500, maxGap: 300, verify: verifyInProcess });
    expect(report.problems).toEqual([]);
    expect(report.kills.filter((kill) => kill.killed)).toHaveLength(3);
  }, 60_000);
});
