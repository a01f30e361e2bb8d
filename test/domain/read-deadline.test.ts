import { describe, expect, it } from "vitest";
import { readDeadline } from "../../src/domain/read-deadline.js";
import { formatIsoInZone } from "../../src/domain/time-zone.js";
import { dhaka } from "../support.js";

const ZONE = "Asia/Dhaka";
// Tuesday 22 October 2024, 11:00 in Dhaka.
const SENT = dhaka(2024, 10, 22, 11, 0);
const due = (text: string, sent = SENT) => {
  const deadline = readDeadline(text, sent, ZONE);
  return deadline && (deadline.allDay ? formatIsoInZone(deadline.at, ZONE).slice(0, 10) : formatIsoInZone(deadline.at, ZONE).slice(0, 16));
};

describe("the due time a directive gives, read from the day it was sent (Tuesday 22 October 2024, 11:00)", () => {
  it.each([
    ["আজকের মধ্যে পাঠাবেন", "2024-10-22"],
    ["আগামীকাল বিকাল ৩টায়", "2024-10-23T15:00"],
    ["আগামীকালের মধ্যে", "2024-10-23"],
    ["কাল সকাল ১০.০০ ঘটিকায়", "2024-10-23T10:00"],
    ["পরশু দুপুর ১২টার মধ্যে", "2024-10-24T12:00"],
    ["আগামী রবিবার", "2024-10-27"],
    ["বৃহস্পতিবারের মধ্যে", "2024-10-24"],
    ["সন্ধ্যা ৭টার মধ্যে", "2024-10-22T19:00"],
    ["বিকাল ৩টার মধ্যে", "2024-10-22T15:00"],
    ["সকাল ১০টার মধ্যে", "2024-10-23T10:00"],
    ["৩টার মধ্যে", "2024-10-22T15:00"],
    ["২০ নভেম্বর ২০২৪ তারিখের মধ্যে", "2024-11-20"],
    ["২০শে নভেম্বরের মধ্যে", "2024-11-20"],
    ["২৫/১০/২০২৪ তারিখের মধ্যে", "2024-10-25"],
    ["25.10.2024 এর মধ্যে", "2024-10-25"],
    ["৩০ তারিখের মধ্যে", "2024-10-30"],
    ["১৫ তারিখের মধ্যে", "2024-11-15"],
    ["৩ দিনের মধ্যে", "2024-10-25"],
    ["২ কর্মদিবসের মধ্যে", "2024-10-24"],
    ["by 4 PM tomorrow", "2024-10-23T16:00"],
    ["by Saturday", "2024-10-26"],
    ["by 20 November", "2024-11-20"],
    ["by November 20, 2024", "2024-11-20"],
    ["by 25/10/2024.", "2024-10-25"],
    ["today", "2024-10-22"],
    ["ajker moddhe", "2024-10-22"],
    ["kal bikal 4tar moddhe", "2024-10-23T16:00"],
    ["রাত ১২টার মধ্যে", "2024-10-22T23:59"],
    ["আগামী ২৭ অক্টোবর ২০২৪ রবিবার সকাল ১০টায়", "2024-10-27T10:00"],
    ["১৫ মিনিটের মধ্যে", "2024-10-22T11:15"],
    ["বিকাল ৩টা ৩০ মিনিটে", "2024-10-22T15:30"],
    ["১০ঃ৩০ টায়", "2024-10-23T10:30"],
    ["by 16:00", "2024-10-22T16:00"],
    ["at 10:30 tomorrow", "2024-10-23T10:30"],
    ["এই সপ্তাহের মধ্যে", "2024-10-24"],
    ["চলতি মাসের মধ্যে", "2024-10-31"],
    ["১০ জানুয়ারির মধ্যে", "2025-01-10"],
  ])("%s → %s", (text, expected) => {
    expect(due(text)).toBe(expected);
  });

  it("prefers the limit to a date said in passing, and a letter's past date is no deadline", () => {
    expect(due("২০/০৯/২০২৪ তারিখের পত্র মোতাবেক তথ্য পাঠাবেন")).toBeNull();
    expect(due("In light of the letter dated 10/09/2024, send the list by 25/10/2024.")).toBe("2024-10-25");
    expect(due("১৬ ডিসেম্বর বিজয় দিবস উপলক্ষে প্রস্তুতি সভা আগামী ০৫ নভেম্বর বিকাল ৩.০০ ঘটিকায় অনুষ্ঠিত হবে।")).toBe("2024-11-05T15:00");
    expect(due("আগামী ২৬ মার্চের প্রস্তুতি শুরু করুন। রেজুলেশন ০৫ নভেম্বরের মধ্যে পাঠাবেন।")).toBe("2024-11-05");
  });

  it("puts the hour of the next sentence on the day named before it", () => {
    expect(due("১৬ ডিসেম্বর সূর্যোদয়ের সাথে সাথে পতাকা উত্তোলন। সকল কর্মকর্তা সকাল ৬.৩০ ঘটিকায় উপস্থিত থাকবেন।")).toBe("2024-12-16T06:30");
  });

  it("reads গত কাল as yesterday and a recent date without a year as past: neither is a deadline", () => {
    expect(due("গত কাল সভা হয়েছে")).toBeNull();
    expect(due("gotokal meeting e bola hoyeche")).toBeNull();
    expect(due("২০ অক্টোবর তারিখের পত্র মোতাবেক ব্যবস্থা নিন")).toBeNull();
  });

  it("does not take counts for times or ages for deadlines", () => {
    expect(due("৫টা ইউনিয়নে ২০০ জনকে টিকা দিতে হবে")).toBeNull();
    expect(due("৩ দিন আগে পাঠানো চিঠি")).toBeNull();
    expect(due("প্রতিবেদন পাঠাবেন")).toBeNull();
  });

  it("reads a time already past today as tomorrow's", () => {
    expect(due("সকাল ১০টার মধ্যে", dhaka(2024, 10, 22, 16, 0))).toBe("2024-10-23T10:00");
  });
});
