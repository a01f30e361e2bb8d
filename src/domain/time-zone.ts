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

/** Minutes east of UTC in `zone` at the instant `utcMs`. */
function offsetMinutes(utcMs: number, zone: string): number {
  const quarter = Math.floor(utcMs / 900_000);
  let byQuarter = offsetCache.get(zone);
  if (!byQuarter) {
    byQuarter = new Map();
    offsetCache.set(zone, byQuarter);
  }
  const cached = byQuarter.get(quarter);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(quarter * 900_000))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = Math.round((asUtc - quarter * 900_000) / 60_000);
  if (byQuarter.size > 500_000) byQuarter.clear();
  byQuarter.set(quarter, offset);
  return offset;
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
function utcToWallClock(utcMs: number, zone: string): WallClock {
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
