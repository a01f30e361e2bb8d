import { toAsciiDigits } from "./digits.js";
import { isRealDate, wallClockToUtc } from "./time-zone.js";

/**
 * Reads a date a person typed: 2024-10-22, 2024-10-22T09:30, 22/10/2024, 22.10.2024 10:00, with
 * Bangla digits anywhere (২২/১০/২০২৪), or a full ISO time with an offset. A date without a time means
 * the start of that day in `zone`, or its end when `endOfDay` is set (for --until). Null when unreadable.
 */
export function readDate(text: string, zone: string, endOfDay = false): number | null {
  const value = toAsciiDigits(text.trim());
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  const dayFirst = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  let year: number, month: number, day: number;
  let time: [number, number, number] | null = null;
  let offset: string | undefined;
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) time = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0)];
    offset = iso[7];
  } else if (dayFirst) {
    [day, month, year] = [Number(dayFirst[1]), Number(dayFirst[2]), Number(dayFirst[3])];
    if (dayFirst[4] !== undefined) time = [Number(dayFirst[4]), Number(dayFirst[5]), Number(dayFirst[6] ?? 0)];
  } else {
    return null;
  }
  if (!isRealDate(year, month, day) || year < 1970 || year > 9999) return null;
  if (time && (time[0] > 23 || time[1] > 59 || time[2] > 59)) return null;
  if (offset !== undefined) {
    const utc = Date.UTC(year, month - 1, day, time![0], time![1], time![2]);
    if (offset === "Z") return utc;
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  if (time) return wallClockToUtc({ year, month, day, hour: time[0], minute: time[1], second: time[2] }, zone);
  const start = wallClockToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }, zone);
  if (!endOfDay) return start;
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return wallClockToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, zone) - 1;
}
