import { describe, expect, it } from "vitest";
import { readDate } from "../../src/domain/read-date.js";
import { formatIsoInZone, wallClockToUtc } from "../../src/domain/time-zone.js";
import { dhaka } from "../support.js";

describe("dates a record keeper types", () => {
  it.each([
    ["2024-10-22", dhaka(2024, 10, 22, 0, 0)],
    ["22/10/2024", dhaka(2024, 10, 22, 0, 0)],
    ["22.10.2024", dhaka(2024, 10, 22, 0, 0)],
    ["22-10-2024", dhaka(2024, 10, 22, 0, 0)],
    ["২২/১০/২০২৪", dhaka(2024, 10, 22, 0, 0)],
    ["২০২৪-১০-২২", dhaka(2024, 10, 22, 0, 0)],
    ["2024-10-22T09:30", dhaka(2024, 10, 22, 9, 30)],
    ["2024-10-22 09:30:15", dhaka(2024, 10, 22, 9, 30, 15)],
    ["22/10/2024 ০৯:৩০", dhaka(2024, 10, 22, 9, 30)],
    ["2024-10-22T09:30:00+06:00", dhaka(2024, 10, 22, 9, 30)],
    ["2024-10-22T03:30:00Z", dhaka(2024, 10, 22, 9, 30)],
  ])("%s is read in Dhaka time", (text, expected) => {
    expect(readDate(text, "Asia/Dhaka")).toBe(expected);
  });

  it("a date alone means the whole day for --until", () => {
    expect(readDate("22/10/2024", "Asia/Dhaka", true)).toBe(dhaka(2024, 10, 23, 0, 0) - 1);
  });

  it.each(["", "yesterday", "31/02/2024", "2024-13-01", "2024-10-22T25:00", "22/10/24", "১০/২০২৪", "2024-10-22; DROP TABLE messages"])(
    "%j is not a date",
    (text) => {
      expect(readDate(text, "Asia/Dhaka")).toBeNull();
    },
  );
});

describe("time zones", () => {
  it("prints ISO 8601 with the office's offset", () => {
    expect(formatIsoInZone(dhaka(2024, 10, 22, 9, 15), "Asia/Dhaka")).toBe("2024-10-22T09:15:00+06:00");
  });

  it("knows Dhaka kept daylight saving time in 2009", () => {
    expect(formatIsoInZone(Date.UTC(2009, 6, 1, 3, 0), "Asia/Dhaka")).toBe("2009-07-01T10:00:00+07:00");
  });

  it("finds the right instant on both sides of a daylight saving change", () => {
    const before = wallClockToUtc({ year: 2024, month: 3, day: 31, hour: 0, minute: 30, second: 0 }, "Europe/London");
    const after = wallClockToUtc({ year: 2024, month: 3, day: 31, hour: 3, minute: 30, second: 0 }, "Europe/London");
    expect(new Date(before).toISOString()).toBe("2024-03-31T00:30:00.000Z");
    expect(new Date(after).toISOString()).toBe("2024-03-31T02:30:00.000Z");
  });
});
