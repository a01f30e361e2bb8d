/**
 * Local wall-clock time in a named zone to and from UTC, with Intl's zone data, so that
 * Asia/Dhaka's brief 2009 daylight saving time and any other zone an office uses are right.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * Offsets by zone and UTC quarter hour (zones change at :00, :30 and :45): parsing a million-line
 * export asks for the same few quarters again and again.
 */
const offsetCache = new Map<string, Map<number, number>>();

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * Minutes east of UTC in `zone` at the instant `utcMs`. Offsets are kept per UTC day when the day
 * begins and ends on the same one (nearly every day of every zone), else per quarter hour, so that a
 * chat spanning years keeps a few thousand entries, not one per message.
 */
function offsetMinutes(utcMs: number, zone: string): number {
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const day = Math.floor(utcMs / 86_400_000);
  // Day keys are negative, quarter keys positive: one map holds both.
  const byDay = cache.get(-day - 1);
  if (byDay !== undefined && byDay !== CHANGES_THAT_DAY) return byDay;
  if (byDay === undefined) {
    const first = offsetAtQuarter(day * 96, zone);
    const last = offsetAtQuarter(day * 96 + 95, zone);
    if (cache.size > 500_000) cache.clear();
    cache.set(-day - 1, first === last ? first : CHANGES_THAT_DAY);
    if (first === last) return first;
  }
  const quarter = Math.floor(utcMs / 900_000);
  let offset = cache.get(quarter);
  if (offset === undefined) {
    offset = offsetAtQuarter(quarter, zone);
    cache.set(quarter, offset);
  }
  return offset;
}

/** Marks a day whose offset changes (a daylight-saving switch): its quarters are looked up one by one. */
const CHANGES_THAT_DAY = 1e9;

function offsetAtQuarter(quarter: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(quarter * 900_000))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - quarter * 900_000) / 60_000);
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The UTC instant (ms) of a wall-clock time in `zone`. */
export function wallClockToUtc(t: WallClock, zone: string): number {
  return localTimeToUtc(t.year, t.month, t.day, t.hour, t.minute, t.second, zone);
}

/** wallClockToUtc without the object, for the parser's million-line loops. */
export function localTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offset at the guessed instant, checked again at the result: right on both sides of a change.
  const guess = asUtc - offsetMinutes(asUtc, zone) * 60_000;
  return asUtc - offsetMinutes(guess, zone) * 60_000;
}

/** The wall-clock time in `zone` of a UTC instant. */
export function utcToWallClock(utcMs: number, zone: string): WallClock {
  const local = new Date(utcMs + offsetMinutes(utcMs, zone) * 60_000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** ISO 8601 with the zone's offset, e.g. 2024-10-22T09:15:00+06:00. */
export function formatIsoInZone(utcMs: number, zone: string): string {
  const t = utcToWallClock(utcMs, zone);
  const offset = offsetMinutes(utcMs, zone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** True when the numbers name a real calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (month === 2) return day <= ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28);
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}
