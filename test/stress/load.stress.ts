import { describe, expect, it } from "vitest";
import { expectSoundRun, runLoad } from "../reliability/run-load.js";

// Issue 8, part 7: 50 watched groups with a roster, each sending 20 messages a second (1,000 a second in
// all) for five minutes of wall-clock time through the in-memory WhatsApp, with nudges falling due all
// along. Nothing may be lost and memory must stay flat; the rate the bot sustains and the time from event
// to archived row are recorded, not asserted (docs/reliability.md has the figures and what limits them).
// NIRDESH_LOAD_PROFILE=folder also writes a CPU profile of the bot's process there.
describe("the live bot under load", () => {
  it("50 groups × 20 messages a second for five minutes: nothing lost, nothing twice, memory flat, the chain verifies", async () => {
    const report = await runLoad(50, 20, 300, 5_000, process.env.NIRDESH_LOAD_PROFILE);
    console.log(JSON.stringify({ run: "target", ...report }));
    expectSoundRun(report);
    // Flat: the last minute's mean resident memory and heap within a quarter (and 30 MB) of the first minute's.
    expect(report.memory.last_rss_mb).toBeLessThanOrEqual(report.memory.first_rss_mb * 1.25 + 30);
    expect(report.memory.last_heap_mb).toBeLessThanOrEqual(report.memory.first_heap_mb * 1.25 + 30);
  });

  it("50 groups × 2 messages a second for a minute: the time from event to row when the bot keeps up", async () => {
    const report = await runLoad(50, 2, 60, 5_000);
    console.log(JSON.stringify({ run: "sustainable", ...report }));
    expect(report.lost).toBe(0);
    expect(report.twice).toBe(0);
    expect(report.verify.intact).toBe(true);
  });
});
