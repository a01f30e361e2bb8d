import { describe, expect, it } from "vitest";
import { expectSoundRun, runLoad } from "./run-load.js";

// The small version of the load test (test/stress/load.stress.ts: 50 groups × 20 messages a second for
// five minutes): 5 groups × 10 a second for 3 seconds, with nudges falling due meanwhile.
describe("the live bot under a steady stream of messages", () => {
  it("archives every message and 👍 of five busy groups exactly once, sends the nudges that fall due, and the chain verifies", async () => {
    const report = await runLoad(5, 10, 3, 500);
    expect(report.offered).toBe(150);
    expect(report.held).toBe(0);
    expectSoundRun(report);
    expect(report.event_to_row_ms.p99).toBeGreaterThan(0);
  }, 60_000);
});
