import { localTimeToUtc, utcToWallClock } from "./time-zone.js";

/** When an office may be written to: which weekdays, between which times, and which dates are holidays. */
export interface WorkingHours {
  /** 0 Sunday … 6 Saturday. Bangladesh works Sunday to Thursday. */
  days: readonly number[];
  /** Minutes after local midnight: open from `opensAt` up to (not including) `closesAt`. */
  opensAt: number;
  closesAt: number;
  /** Local dates (YYYY-MM-DD) on which nobody is written to. */
  holidays: readonly string[];
}

const DAY = 86_400_000;
/** No calendar an office could write has no opening in a year; past that the hours are unusable. */
const SEARCH_DAYS = 370;

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

const dateKey = (d: LocalDay) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
const weekday = (d: LocalDay) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
const shift = (d: LocalDay, days: number): LocalDay => {
  const date = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};
const at = (d: LocalDay, minutes: number, zone: string) => localTimeToUtc(d.year, d.month, d.day, Math.floor(minutes / 60), minutes % 60, 0, zone);

/** Whether the office works at all on that local day. */
function isWorkingDay(d: LocalDay, hours: WorkingHours): boolean {
  return hours.days.includes(weekday(d)) && !hours.holidays.includes(dateKey(d));
}

function minutesOf(t: number, zone: string): { day: LocalDay; minutes: number } {
  const wall = utcToWallClock(t, zone);
  return { day: { year: wall.year, month: wall.month, day: wall.day }, minutes: wall.hour * 60 + wall.minute + wall.second / 60 };
}

/** Whether a moment falls inside the working hours. */
export function isOpen(t: number, hours: WorkingHours, zone: string): boolean {
  const { day, minutes } = minutesOf(t, zone);
  return isWorkingDay(day, hours) && minutes >= hours.opensAt && minutes < hours.closesAt;
}

/** The moment itself when it is inside the hours, else the next opening: a nudge is moved, never dropped. */
export function nextOpening(t: number, hours: WorkingHours, zone: string): number {
  if (isOpen(t, hours, zone)) return t;
  const { day, minutes } = minutesOf(t, zone);
  let candidate = minutes < hours.opensAt ? day : shift(day, 1);
  for (let i = 0; i < SEARCH_DAYS; i++, candidate = shift(candidate, 1)) {
    if (isWorkingDay(candidate, hours)) return at(candidate, hours.opensAt, zone);
  }
  throw new RangeError("the working hours have no opening within a year");
}

/**
 * The latest moment inside the hours at or before `t` (a reminder before a deadline may come early,
 * never late); null when there is none in the year before.
 */
export function lastOpenMoment(t: number, hours: WorkingHours, zone: string): number | null {
  if (isOpen(t, hours, zone)) return t;
  const { day, minutes } = minutesOf(t, zone);
  let candidate = minutes >= hours.closesAt ? day : shift(day, -1);
  for (let i = 0; i < SEARCH_DAYS; i++, candidate = shift(candidate, -1)) {
    if (isWorkingDay(candidate, hours)) return at(candidate, hours.closesAt, zone) - 60_000;
  }
  return null;
}

/** The opening of the local day `t` falls on, or null when the office does not work that day. */
export function openingOfDay(t: number, hours: WorkingHours, zone: string): number | null {
  const { day } = minutesOf(t, zone);
  return isWorkingDay(day, hours) ? at(day, hours.opensAt, zone) : null;
}

/** The local date of a moment, YYYY-MM-DD. */
export function localDate(t: number, zone: string): string {
  return dateKey(minutesOf(t, zone).day);
}

/** A moment's local date at a given number of minutes after midnight. */
export function timeOfDay(t: number, minutes: number, zone: string): number {
  return at(minutesOf(t, zone).day, minutes, zone);
}

/** Whether the local day of `t` is a working day. */
export function worksOn(t: number, hours: WorkingHours, zone: string): boolean {
  return isWorkingDay(minutesOf(t, zone).day, hours);
}
