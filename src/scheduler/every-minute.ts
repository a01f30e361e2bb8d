import cron from "node-cron";

export interface Scheduled {
  stop(): void;
}

/** Runs a task at the start of every minute in the office's zone; a run still going is not started twice. */
export function everyMinute(task: () => unknown, timeZone: string): Scheduled {
  const job = cron.schedule("* * * * *", () => task(), { timezone: timeZone, name: "follow-ups", noOverlap: true });
  return { stop: () => void job.stop() };
}
