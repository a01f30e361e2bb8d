import { join } from "node:path";
import { expect } from "vitest";
import { temporaryFolder } from "../support.js";
import { runChild } from "./crash-harness.js";

/** What scripts/load-bot.js reports (the fields the tests read). */
export interface LoadReport {
  target_per_s: number;
  offered: number;
  held: number;
  messages: number;
  reactions_sent: number;
  reactions_archived: number;
  archived_per_s: number;
  event_to_row_ms: { p50: number; p95: number; p99: number; max: number };
  memory: { first_rss_mb: number; last_rss_mb: number; first_heap_mb: number; last_heap_mb: number };
  nudges_sent: number;
  lost: number;
  twice: number;
  errors_logged: number;
  verify: { intact: boolean; rows: number };
}

/** The live bot in its own process under `groups × rate` messages a second for `seconds`. */
export async function runLoad(groups: number, rate: number, seconds: number, sampleMs: number, profile?: string): Promise<LoadReport> {
  const folder = temporaryFolder();
  const run = await runChild(
    [...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : []), "scripts/load-bot.js", join(folder, "nirdesh.db"), join(folder, "media"), String(groups), String(rate), String(seconds), String(sampleMs)],
    {},
  );
  if (run.code !== 0) throw new Error(`the load child failed: ${run.stderr}`);
  return JSON.parse(run.lines.at(-1)!) as LoadReport;
}

/**
 * What every load run must show, whatever the rate: each delivered message and 👍 archived exactly once,
 * no error logged, nudges sent as they fell due, and the chain intact.
 */
export function expectSoundRun(report: LoadReport): void {
  expect(report.lost).toBe(0);
  expect(report.twice).toBe(0);
  expect(report.reactions_archived).toBe(report.reactions_sent);
  expect(report.errors_logged).toBe(0);
  expect(report.verify.intact).toBe(true);
  expect(report.nudges_sent).toBeGreaterThan(0);
}
