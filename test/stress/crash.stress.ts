import { describe, expect, it } from "vitest";
import { crashImports, crashLive, verifyWithCli } from "../reliability/crash-harness.js";
import { temporaryFolder } from "../support.js";

// Issue 8, part 1: a child importing or ingesting 100,000 messages is killed with SIGKILL at random
// (seeded) moments, 20 times per mode; after each kill `nirdesh verify` passes, everything reported stored
// is there exactly once, nothing is stored twice, and the same input run again completes it.
// `npm run test:stress -- test/stress/crash.stress.ts`; the figures are printed as one JSON line per mode.
describe("crash safety at 100,000 messages", () => {
  it("nirdesh import of ten exports, killed 20 times over five fresh archives (each first kill during the first open)", async () => {
    const report = await crashImports({ folder: temporaryFolder(), messages: 100_000, groups: 10, seed: 2026, rounds: 5, killsPerRound: 4, cleanRun: true, verify: verifyWithCli });
    console.log(JSON.stringify({ mode: "import", ...report }));
    expect(report.problems).toEqual([]);
    expect(report.kills.filter((kill) => kill.killed)).toHaveLength(20);
    expect(report.kills.filter((kill) => kill.phase.startsWith("importing file")).length).toBeGreaterThan(0);
  });

  it("the live bot on the in-memory WhatsApp, killed 20 times, each restart catching up what came while it was down", async () => {
    const report = await crashLive({ folder: temporaryFolder(), messages: 100_000, groups: 10, seed: 2026, kills: 20, killWithinMs: 40_000, maxGap: 500, verify: verifyWithCli });
    console.log(JSON.stringify({ mode: "live", ...report }));
    expect(report.problems).toEqual([]);
    expect(report.kills.filter((kill) => kill.killed)).toHaveLength(20);
    expect(report.kills.filter((kill) => kill.phase.startsWith("archiving")).length).toBeGreaterThan(0);
    // The bot archives about a hundred messages a second on a busy two-core machine: 100,000 take a while.
  }, 60 * 60_000);
});
