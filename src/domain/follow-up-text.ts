import { utcToWallClock } from "./time-zone.js";

/** The texts of nudges, reminders, escalations and digests, with {placeholders}; an office may write its own. */
export interface FollowUpTemplates {
  nudge: string;
  urgentNudge: string;
  directNudge: string;
  reminder: string;
  directReminder: string;
  escalation: string;
  digest: string;
  digestLine: string;
}

export const TEMPLATE_NAMES = ["nudge", "urgentNudge", "directNudge", "reminder", "directReminder", "escalation", "digest", "digestLine"] as const;

/** How numbers and times are written in the office's language. */
export interface FollowUpWording extends FollowUpTemplates {
  digestMore(count: number): string;
  listSeparator: string;
  dateTime(day: number, month: number, hour: number, minute: number): string;
  count(value: number): string;
}

/** A template with its {placeholders} filled; a placeholder it does not know stays as written. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** A directive as a reminder quotes it: one line, cut at a word near `max` characters. */
export function excerpt(body: string, max = 120): string {
  const line = body.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A moment as people in the office read it: day/month hour:minute, in the office's zone and digits. */
export function whenWritten(t: number, zone: string, wording: Pick<FollowUpWording, "dateTime">): string {
  const wall = utcToWallClock(t, zone);
  return wording.dateTime(wall.day, wall.month, wall.hour, wall.minute);
}
