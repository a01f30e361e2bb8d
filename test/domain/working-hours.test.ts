import { afterEach, describe, expect, it, vi } from "vitest";
import { isOpen, lastOpenMoment, localDate, nextOpening, openingOfDay, timeOfDay, type WorkingHours, worksOn } from "../../src/domain/working-hours.js";
import { DEFAULT_NUDGE_POLICY } from "../../src/nudge-policy-file.js";
import { dhaka } from "../support.js";

afterEach(() => vi.useRealTimers());

const ZONE = "Asia/Dhaka";
/** The ministry's office hours: Sunday to Thursday, 09:00 up to 17:00. */
const OFFICE: WorkingHours = DEFAULT_NUDGE_POLICY.normal.hours;
/** Urgent directives: any day, 08:00 up to 21:00. */
const URGENT: WorkingHours = DEFAULT_NUDGE_POLICY.urgent.hours;
/** The office closes on Sunday 27 October 2024 (a holiday in its list). */
const WITH_HOLIDAY: WorkingHours = { ...OFFICE, holidays: ["2024-10-27"] };

// October 2024: Tue 22, Wed 23, Thu 24, Fri 25, Sat 26, Sun 27, Mon 28.
const at = dhaka;
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe("the defaults an office starts with", () => {
  it("are Sunday to Thursday 09:00–17:00 without holidays, and any day 08:00–21:00 for urgent directives", () => {
    expect([...OFFICE.days].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([OFFICE.opensAt, OFFICE.closesAt]).toEqual([9 * 60, 17 * 60]);
    expect(OFFICE.holidays).toEqual([]);
    expect([...URGENT.days].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([URGENT.opensAt, URGENT.closesAt]).toEqual([8 * 60, 21 * 60]);
  });
});

describe("isOpen: whether the office may be written to at a moment", () => {
  it.each([
    ["Tuesday 08:59:59, a second before opening", at(2024, 10, 22, 8, 59, 59), OFFICE, false],
    ["Tuesday exactly 09:00", at(2024, 10, 22, 9, 0), OFFICE, true],
    ["Tuesday 12:00", at(2024, 10, 22, 12, 0), OFFICE, true],
    ["Tuesday 16:59", at(2024, 10, 22, 16, 59), OFFICE, true],
    ["Tuesday 16:59:59", at(2024, 10, 22, 16, 59, 59), OFFICE, true],
    ["Tuesday exactly 17:00", at(2024, 10, 22, 17, 0), OFFICE, false],
    ["Tuesday 23:30", at(2024, 10, 22, 23, 30), OFFICE, false],
    ["Tuesday 02:00 (still Monday night in UTC)", at(2024, 10, 22, 2, 0), OFFICE, false],
    ["Thursday 16:59", at(2024, 10, 24, 16, 59), OFFICE, true],
    ["Friday 10:00, the weekend", at(2024, 10, 25, 10, 0), OFFICE, false],
    ["Saturday 10:00, the weekend", at(2024, 10, 26, 10, 0), OFFICE, false],
    ["Sunday 10:00, the first working day", at(2024, 10, 27, 10, 0), OFFICE, true],
    ["Sunday 10:00 on a holiday", at(2024, 10, 27, 10, 0), WITH_HOLIDAY, false],
    ["Monday 10:00 after the holiday", at(2024, 10, 28, 10, 0), WITH_HOLIDAY, true],
    ["urgent: Friday 08:00", at(2024, 10, 25, 8, 0), URGENT, true],
    ["urgent: Friday 07:59", at(2024, 10, 25, 7, 59), URGENT, false],
    ["urgent: Thursday 20:59", at(2024, 10, 24, 20, 59), URGENT, true],
    ["urgent: Thursday exactly 21:00", at(2024, 10, 24, 21, 0), URGENT, false],
  ])("%s → %s", (_, t, hours, open) => {
    expect(isOpen(t, hours, ZONE)).toBe(open);
  });
});

describe("nextOpening: a nudge outside the hours is moved to the next opening, never dropped", () => {
  it.each([
    ["Tuesday 10:30 is open: it stays", at(2024, 10, 22, 10, 30), OFFICE, at(2024, 10, 22, 10, 30)],
    ["Tuesday exactly 09:00 stays", at(2024, 10, 22, 9, 0), OFFICE, at(2024, 10, 22, 9, 0)],
    ["Tuesday 16:59 stays", at(2024, 10, 22, 16, 59), OFFICE, at(2024, 10, 22, 16, 59)],
    ["Tuesday 07:00 → Tuesday 09:00", at(2024, 10, 22, 7, 0), OFFICE, at(2024, 10, 22, 9, 0)],
    ["Tuesday 00:00 → Tuesday 09:00", at(2024, 10, 22, 0, 0), OFFICE, at(2024, 10, 22, 9, 0)],
    ["Tuesday exactly 17:00 → Wednesday 09:00", at(2024, 10, 22, 17, 0), OFFICE, at(2024, 10, 23, 9, 0)],
    ["Tuesday 17:30 → Wednesday 09:00", at(2024, 10, 22, 17, 30), OFFICE, at(2024, 10, 23, 9, 0)],
    ["Tuesday 23:59 → Wednesday 09:00", at(2024, 10, 22, 23, 59), OFFICE, at(2024, 10, 23, 9, 0)],
    ["Thursday 17:30 → Sunday 09:00", at(2024, 10, 24, 17, 30), OFFICE, at(2024, 10, 27, 9, 0)],
    ["Friday 10:00 → Sunday 09:00", at(2024, 10, 25, 10, 0), OFFICE, at(2024, 10, 27, 9, 0)],
    ["Saturday 23:59 → Sunday 09:00", at(2024, 10, 26, 23, 59), OFFICE, at(2024, 10, 27, 9, 0)],
    ["Thursday 17:30 with Sunday a holiday → Monday 09:00", at(2024, 10, 24, 17, 30), WITH_HOLIDAY, at(2024, 10, 28, 9, 0)],
    ["Sunday 10:00, a holiday → Monday 09:00", at(2024, 10, 27, 10, 0), WITH_HOLIDAY, at(2024, 10, 28, 9, 0)],
    ["urgent: Thursday 21:05 → Friday 08:00", at(2024, 10, 24, 21, 5), URGENT, at(2024, 10, 25, 8, 0)],
    ["urgent: Friday 06:00 → Friday 08:00", at(2024, 10, 25, 6, 0), URGENT, at(2024, 10, 25, 8, 0)],
  ])("%s", (_, t, hours, expected) => {
    expect(iso(nextOpening(t, hours, ZONE))).toBe(iso(expected));
  });

  it("runs across the end of a year and a string of holidays (Eid leave)", () => {
    const eid: WorkingHours = { ...OFFICE, holidays: ["2024-12-31", "2025-01-01", "2025-01-02"] };
    // Monday 30 Dec 2024 17:10 → Tue 31 (holiday), Wed 1 Jan (holiday), Thu 2 (holiday), Fri, Sat → Sunday 5 January.
    expect(iso(nextOpening(at(2024, 12, 30, 17, 10), eid, ZONE))).toBe(iso(at(2025, 1, 5, 9, 0)));
  });

  it("throws rather than loop for ever when the hours have no working day at all", () => {
    expect(() => nextOpening(at(2024, 10, 22, 10, 0), { ...OFFICE, days: [] }, ZONE)).toThrow(RangeError);
  });
});

describe("lastOpenMoment: a reminder may come early, never late", () => {
  it.each([
    ["Tuesday 13:00 is open: itself", at(2024, 10, 22, 13, 0), OFFICE, at(2024, 10, 22, 13, 0)],
    ["Tuesday exactly 09:00: itself", at(2024, 10, 22, 9, 0), OFFICE, at(2024, 10, 22, 9, 0)],
    ["Tuesday exactly 17:00 → Tuesday 16:59", at(2024, 10, 22, 17, 0), OFFICE, at(2024, 10, 22, 16, 59)],
    ["Tuesday 20:00 → Tuesday 16:59", at(2024, 10, 22, 20, 0), OFFICE, at(2024, 10, 22, 16, 59)],
    ["Wednesday 08:00 → Tuesday 16:59", at(2024, 10, 23, 8, 0), OFFICE, at(2024, 10, 22, 16, 59)],
    ["Sunday 08:00 → Thursday 16:59", at(2024, 10, 27, 8, 0), OFFICE, at(2024, 10, 24, 16, 59)],
    ["Saturday 12:00 → Thursday 16:59", at(2024, 10, 26, 12, 0), OFFICE, at(2024, 10, 24, 16, 59)],
    ["Monday 08:00 after a Sunday holiday → Thursday 16:59", at(2024, 10, 28, 8, 0), WITH_HOLIDAY, at(2024, 10, 24, 16, 59)],
    ["urgent: Friday 22:00 → Friday 20:59", at(2024, 10, 25, 22, 0), URGENT, at(2024, 10, 25, 20, 59)],
  ])("%s", (_, t, hours, expected) => {
    expect(iso(lastOpenMoment(t, hours, ZONE))).toBe(iso(expected));
  });

  it("is null when no working moment exists in the year before", () => {
    expect(lastOpenMoment(at(2024, 10, 22, 10, 0), { ...OFFICE, days: [] }, ZONE)).toBeNull();
  });
});

describe("openingOfDay: when the office opens on the day of a moment", () => {
  it.each([
    ["Tuesday 15:00 → Tuesday 09:00", at(2024, 10, 22, 15, 0), OFFICE, at(2024, 10, 22, 9, 0)],
    ["Tuesday 05:59 (Monday in UTC) → Tuesday 09:00", at(2024, 10, 22, 5, 59), OFFICE, at(2024, 10, 22, 9, 0)],
    ["Wednesday 23:59:59 → Wednesday 09:00", at(2024, 10, 23, 23, 59, 59), OFFICE, at(2024, 10, 23, 9, 0)],
    ["Friday → none", at(2024, 10, 25, 12, 0), OFFICE, null],
    ["Saturday → none", at(2024, 10, 26, 12, 0), OFFICE, null],
    ["Sunday, a holiday → none", at(2024, 10, 27, 12, 0), WITH_HOLIDAY, null],
    ["urgent: Friday → Friday 08:00", at(2024, 10, 25, 12, 0), URGENT, at(2024, 10, 25, 8, 0)],
  ])("%s", (_, t, hours, expected) => {
    expect(iso(openingOfDay(t, hours, ZONE))).toBe(iso(expected));
  });
});

describe("local days in Dhaka, whatever the machine's zone", () => {
  it("reads the local date, a time of that day and whether the office works that day", () => {
    // 23:30 in Dhaka is 17:30 UTC the same day; 01:00 in Dhaka is 19:00 UTC the day before.
    expect(localDate(at(2024, 10, 22, 23, 30), ZONE)).toBe("2024-10-22");
    expect(localDate(at(2024, 10, 23, 1, 0), ZONE)).toBe("2024-10-23");
    expect(iso(timeOfDay(at(2024, 10, 23, 1, 0), 9 * 60, ZONE))).toBe(iso(at(2024, 10, 23, 9, 0)));
    expect(worksOn(at(2024, 10, 24, 23, 59), OFFICE, ZONE)).toBe(true);
    expect(worksOn(at(2024, 10, 25, 0, 1), OFFICE, ZONE)).toBe(false);
    expect(worksOn(at(2024, 10, 27, 0, 1), WITH_HOLIDAY, ZONE)).toBe(false);
  });
});
