import cron from "node-cron";
import type { Scheduled } from "./every-minute.js";

/** Runs a task once a day at a wall-clock time in the office's zone; a run still going is not started twice. */
export function dailyAt(task: () => unknown, at: { hour: number; minute: number }, timeZone: string, name: string): Scheduled {
  const job = cron.schedule(`${at.minute} ${at.hour} * * *`, () => task(), { timezone: timeZone, name, noOverlap: true });
  return { stop: () => void job.stop() };
}
