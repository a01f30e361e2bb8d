import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { systemAction } from "../../src/chat-export/markers.js";
import { parseChatExport, type DateOrder, type ExportEntry, type ParsedExport } from "../../src/chat-export/parse-chat-export.js";
import { UserError } from "../../src/user-error.js";

/** A wall-clock time in Dhaka (UTC+6, no daylight saving since 2009) as UTC milliseconds. */
const dhaka = (local: string) => Date.parse(`${local}+06:00`);
const utc = (iso: string) => Date.parse(`${iso}Z`);

const inDhaka = (text: string, dateOrder?: DateOrder): ParsedExport =>
  parseChatExport(text, dateOrder ? { timeZone: "Asia/Dhaka", dateOrder } : { timeZone: "Asia/Dhaka" });

/** The one entry a one-line (or one-message) export holds. */
function onlyEntry(parsed: ParsedExport): ExportEntry {
  expect(parsed.entries).toHaveLength(1);
  return parsed.entries[0]!;
}

const DIRECTIVE_AUTHOR = "কাজী মাহমুদুল হাসান";
const DIRECTIVE = "সকল ইউএনওকে আগামীকাল প্রতিবেদন পাঠাতে হবে";

describe("every header WhatsApp writes is read as the right Dhaka time", () => {
  // Each header is followed by the DC's directive; a one-line file can only tell day from month when
  // the day is above 12, so the dates here are 22 October 2024 unless the format is month-first.
  it.each([
    // Android, 24h
    { format: "Android 24h, 4-digit year", header: "22/10/2024, 09:15 - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "Android 24h, 2-digit year", header: "22/10/24, 09:15 - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "Android 24h, US month first, no padding", header: "10/22/24, 15:49 - ", local: "2024-10-22T15:49:00", order: "mdy" },
    { format: "Android 24h without a comma", header: "22/10/2024 09:15 - ", local: "2024-10-22T09:15:00", order: "dmy" },
    // Android, 12h
    { format: "Android 12h, AM", header: "22/10/2024, 9:16 AM - ", local: "2024-10-22T09:16:00", order: "dmy" },
    { format: "Android 12h, lowercase pm", header: "22/10/24, 3:30 pm - ", local: "2024-10-22T15:30:00", order: "dmy" },
    { format: "Android 12h, a.m.", header: "22/10/2024, 9:16 a.m. - ", local: "2024-10-22T09:16:00", order: "dmy" },
    { format: "Android 12h, p.m.", header: "22/10/2024, 3:30 p.m. - ", local: "2024-10-22T15:30:00", order: "dmy" },
    { format: "Android 12h, p. m. with a space", header: "22/10/2024, 3:30 p. m. - ", local: "2024-10-22T15:30:00", order: "dmy" },
    { format: "Android 12h, p.\\u00a0m. and no comma (Spanish)", header: "22/10/2024 3:30 p.\u00a0m. - ", local: "2024-10-22T15:30:00", order: "dmy" },
    { format: "Android 12h, \\u202fPM (2023+)", header: "10/22/24, 3:30\u202fPM - ", local: "2024-10-22T15:30:00", order: "mdy" },
    { format: "Android 12h, \\u202fam", header: "22/10/24, 9:16\u202fam - ", local: "2024-10-22T09:16:00", order: "dmy" },
    { format: "Android 12h, 12:05 AM is just after midnight", header: "22/10/2024, 12:05 AM - ", local: "2024-10-22T00:05:00", order: "dmy" },
    { format: "Android 12h, 12:05 PM is just after noon", header: "22/10/2024, 12:05 PM - ", local: "2024-10-22T12:05:00", order: "dmy" },
    { format: "Android 12h, no comma", header: "10/22/24 7:26 PM - ", local: "2024-10-22T19:26:00", order: "mdy" },
    { format: "Android, in the morning", header: "22/10/2024, 9:15 in the morning - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "Android, in the afternoon", header: "22/10/2024, 3:07 in the afternoon - ", local: "2024-10-22T15:07:00", order: "dmy" },
    // iOS, bracketed
    { format: "iOS 24h with comma", header: "[22/10/2024, 09:15:05] ", local: "2024-10-22T09:15:05", order: "dmy" },
    { format: "iOS 24h without comma", header: "[22/10/24 09:15:05] ", local: "2024-10-22T09:15:05", order: "dmy" },
    { format: "iOS 24h, US month first", header: "[10/22/24, 21:41:55] ", local: "2024-10-22T21:41:55", order: "mdy" },
    { format: "iOS 12h with comma", header: "[22/10/24, 3:45:19 PM] ", local: "2024-10-22T15:45:19", order: "dmy" },
    { format: "iOS 12h, \\u202fPM", header: "[22/10/24, 3:45:19\u202fPM] ", local: "2024-10-22T15:45:19", order: "dmy" },
    { format: "iOS 12h, 12:15 AM", header: "[24/10/24, 12:15:22\u202fAM] ", local: "2024-10-24T00:15:22", order: "dmy" },
    { format: "iOS 12h without comma, a.m.", header: "[22/10/24 2:14:40 a.m.] ", local: "2024-10-22T02:14:40", order: "dmy" },
    { format: "iOS 12h without comma, p. m.", header: "[22/10/24 1:55:00 p. m.] ", local: "2024-10-22T13:55:00", order: "dmy" },
    // Old iOS, no brackets
    { format: "old iOS 12h", header: "22/10/24, 4:56:55 PM: ", local: "2024-10-22T16:56:55", order: "dmy" },
    { format: "old iOS 24h, no comma", header: "22/10/24 16:23:03: ", local: "2024-10-22T16:23:03", order: "dmy" },
    { format: "old iOS, 4-digit year", header: "22/10/2012 17:03:48: ", local: "2012-10-22T17:03:48", order: "dmy" },
    // Dotted dates and dotted times
    { format: "dotted date, Android", header: "22.10.2024, 09:16 - ", local: "2024-10-22T09:16:00", order: "dmy" },
    { format: "dotted date, no comma (Czech)", header: "22.10.24 09:16 - ", local: "2024-10-22T09:16:00", order: "dmy" },
    { format: "dotted date, iOS", header: "[22.10.24, 09:16:03] ", local: "2024-10-22T09:16:03", order: "dmy" },
    { format: "dotted date and dotted time, iOS", header: "[22.10.2024, 9.16.03] ", local: "2024-10-22T09:16:03", order: "dmy" },
    { format: "dotted time, iOS (Indonesian)", header: "[22/10/24 21.05.53] ", local: "2024-10-22T21:05:53", order: "dmy" },
    { format: "dotted time, Android 12h", header: "22/10/24, 3.06 PM - ", local: "2024-10-22T15:06:00", order: "dmy" },
    { format: "dotted everything with ': '", header: "22.10.24 21.25.15: ", local: "2024-10-22T21:25:15", order: "dmy" },
    { format: "Finnish 'klo'", header: "22.10.2024 klo 21.25.15 - ", local: "2024-10-22T21:25:15", order: "dmy" },
    { format: "spaced dots, trailing dot, no separator", header: "22. 10. 2024. 21:25:15 ", local: "2024-10-22T21:25:15", order: "dmy" },
    // Dashed dates
    { format: "dashed date, no comma (Dutch)", header: "22-10-2024 09:16 - ", local: "2024-10-22T09:16:00", order: "dmy" },
    { format: "dashed date, dotted 12h time", header: "22-10-2024, 03.30 PM - ", local: "2024-10-22T15:30:00", order: "dmy" },
    { format: "dashed date, iOS month first", header: "[10-22-2024, 23:33:00] ", local: "2024-10-22T23:33:00", order: "mdy" },
    // Year first, year in the middle
    { format: "yyyy-mm-dd, no comma", header: "2024-10-22 09:16 - ", local: "2024-10-22T09:16:00", order: "ymd" },
    { format: "yyyy/mm/dd", header: "2024/10/22, 09:16 - ", local: "2024-10-22T09:16:00", order: "ymd" },
    { format: "yyyy-mm-dd, a.m.", header: "2024-10-22, 8:49 a.m. - ", local: "2024-10-22T08:49:00", order: "ymd" },
    { format: "yyyy/mm/dd, iOS", header: "[2024/10/22, 21:25:15] ", local: "2024-10-22T21:25:15", order: "ymd" },
    { format: "year in the middle, iOS", header: "[10/2024/22, 21:25:15] ", local: "2024-10-22T21:25:15", order: "mdy" },
    // Invisible marks before the header
    { format: "\\u200e before an iOS header", header: "\u200e[22/10/24, 9:20:11 AM] ", local: "2024-10-22T09:20:11", order: "dmy" },
    { format: "\\u200e before an Android header", header: "\u200e22.10.2024, 20:08 - ", local: "2024-10-22T20:08:00", order: "dmy" },
    { format: "\\ufeff at the start of the file", header: "\ufeff22/10/2024, 09:15 - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "\\ufeff right after the bracket", header: "[\ufeff22.10.24, 12:24:03] ", local: "2024-10-22T12:24:03", order: "dmy" },
    // Bangla digits and Bangla day periods
    { format: "Bangla digits, 24h", header: "২২/১০/২০২৪, ০৯:১৫ - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "Bangla digits, iOS পূর্বাহ্ণ (AM)", header: "[২২/১০/২৪, ৯:১৬:০৫ পূর্বাহ্ণ] ", local: "2024-10-22T09:16:05", order: "dmy" },
    { format: "Bangla digits, iOS অপরাহ্ণ (PM)", header: "[২২/১০/২৪, ৪:৪১:০০ অপরাহ্ণ] ", local: "2024-10-22T16:41:00", order: "dmy" },
    { format: "সকাল before the time", header: "২২/১০/২০২৪, সকাল ৯:১৫ - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "সকাল after the time", header: "২২/১০/২০২৪, ৯:১৫ সকাল - ", local: "2024-10-22T09:15:00", order: "dmy" },
    { format: "দুপুর ১টা is after noon", header: "২২/১০/২০২৪, দুপুর ১:১৫ - ", local: "2024-10-22T13:15:00", order: "dmy" },
    { format: "দুপুর ১২টা is noon", header: "২২/১০/২০২৪, দুপুর ১২:৩০ - ", local: "2024-10-22T12:30:00", order: "dmy" },
    { format: "বিকাল", header: "২২/১০/২০২৪, বিকাল ৩:৩০ - ", local: "2024-10-22T15:30:00", order: "dmy" },
    { format: "বিকেল", header: "২২/১০/২০২৪, বিকেল ৪:০০ - ", local: "2024-10-22T16:00:00", order: "dmy" },
    { format: "সন্ধ্যা", header: "২২/১০/২০২৪, সন্ধ্যা ৭:০০ - ", local: "2024-10-22T19:00:00", order: "dmy" },
    { format: "রাত ৯টা is evening", header: "২২/১০/২০২৪, রাত ৯:৩০ - ", local: "2024-10-22T21:30:00", order: "dmy" },
    { format: "রাত ২টা is after midnight", header: "২২/১০/২০২৪, রাত ২:১০ - ", local: "2024-10-22T02:10:00", order: "dmy" },
    { format: "রাত ১২টা is midnight", header: "২২/১০/২০২৪, রাত ১২:১৫ - ", local: "2024-10-22T00:15:00", order: "dmy" },
  ])("$format: the DC's directive under `$header` is read as $local Dhaka time", ({ header, local, order }) => {
    const parsed = inDhaka(`${header}${DIRECTIVE_AUTHOR}: ${DIRECTIVE}`);
    expect(parsed.dateOrder).toBe(order);
    expect(onlyEntry(parsed)).toMatchObject({
      line: 1,
      at: dhaka(local),
      kind: "message",
      author: DIRECTIVE_AUTHOR,
      body: DIRECTIVE,
      type: "text",
    });
  });

  it("the UNO's reply at 9:16 AM is read as 09:16 Dhaka time, three hours after midnight UTC", () => {
    const entry = onlyEntry(inDhaka("22/10/2024, 9:16 AM - শাহানা পারভীন: জি স্যার"));
    expect(new Date(entry.at).toISOString()).toBe("2024-10-22T03:16:00.000Z");
  });

  it("a London office's export is read in London time on both sides of a clock change", () => {
    const text = [
      "30/03/2024, 23:30 - Nazmul Hossain: Report sent to the High Commission", // GMT, UTC+0
      "31/03/2024, 09:00 - Nazmul Hossain: Clocks went forward last night", // BST, UTC+1
      "26/10/2024, 09:00 - Nazmul Hossain: Last day of summer time", // BST
      "27/10/2024, 09:00 - Nazmul Hossain: Back to GMT", // GMT
    ].join("\n");
    const { entries } = parseChatExport(text, { timeZone: "Europe/London" });
    expect(entries.map((e) => new Date(e.at).toISOString())).toEqual([
      "2024-03-30T23:30:00.000Z",
      "2024-03-31T08:00:00.000Z",
      "2024-10-26T08:00:00.000Z",
      "2024-10-27T09:00:00.000Z",
    ]);
  });

  it("seconds missing from an Android header count as :00", () => {
    expect(onlyEntry(inDhaka("22/10/2024, 09:15 - ডিসি: x")).at % 60_000).toBe(0);
  });
});

describe("the whatsapp-chat-parser test cases, in our terms", () => {
  // Upstream runs with TZ=UTC and its single-date fallback is day first, as ours is.
  const inUtc = (text: string, dateOrder?: DateOrder) =>
    parseChatExport(text, dateOrder ? { timeZone: "UTC", dateOrder } : { timeZone: "UTC" });

  it.each([
    { id: "f1", line: "3/6/18, 1:55 p.m. - a: m", iso: "2018-06-03T13:55:00" },
    { id: "f2", line: "03-06-2018, 01.55 PM - a: m", iso: "2018-06-03T13:55:00" },
    { id: "f3", line: "13.06.18 21.25.15: a: m", iso: "2018-06-13T21:25:15" },
    { id: "f4", line: "[06.13.18 21:25:15] a: m", iso: "2018-06-13T21:25:15" },
    { id: "f5", line: "13.6.2018 klo 21.25.15 - a: m", iso: "2018-06-13T21:25:15" },
    { id: "f6", line: "13. 6. 2018. 21:25:15 a: m", iso: "2018-06-13T21:25:15" },
    { id: "f7", line: "[3/6/18 1:55:00 p. m.] a: m", iso: "2018-06-03T13:55:00" },
    { id: "f8", line: "\u200e[3/6/18 1:55:00 p. m.] a: m", iso: "2018-06-03T13:55:00" },
    { id: "f9", line: "[2018/06/13, 21:25:15] a: m", iso: "2018-06-13T21:25:15" },
    { id: "f10", line: "[06/2018/13, 21:25:15] a: m", iso: "2018-06-13T21:25:15" },
    { id: "f11", line: "3/6/2018 1:55 p.\u00a0m. - a: m", iso: "2018-06-03T13:55:00" },
    { id: "f12", line: "3/6/18, 1:55\u202fPM - a: m", iso: "2018-06-03T13:55:00" },
  ])("$id: `$line` is $iso UTC from a: m", ({ line, iso }) => {
    expect(onlyEntry(inUtc(line))).toMatchObject({ at: utc(iso), kind: "message", author: "a", body: "m" });
  });

  it("opt-1: the order the user gives decides an ambiguous date", () => {
    expect(new Date(onlyEntry(inUtc("3/6/18, 1:55 p.m. - a: m", "dmy")).at).toISOString()).toBe("2018-06-03T13:55:00.000Z");
    expect(new Date(onlyEntry(inUtc("3/6/18, 1:55 p.m. - a: m", "mdy")).at).toISOString()).toBe("2018-03-06T13:55:00.000Z");
  });

  it("idx-2: five entries, system lines without author, blank lines kept inside the last message", () => {
    const text = [
      "06/03/2017, 00:45 - Messages to this group are now secured with end-to-end encryption. Tap for more info.",
      '06/03/2017, 00:45 - You created group "ShortChat"',
      "06/03/2017, 00:45 - Sample User: This is a test message",
      "08/05/2017, 01:48 - TestBot: Hey I'm a test too!",
      "09/04/2017, 01:50 - +410123456789: How are you?",
      "",
      "Is everything alright?",
      "",
    ].join("\n");
    const parsed = inUtc(text);
    expect(parsed.entries.map((e) => [e.kind, e.author])).toEqual([
      ["system", null],
      ["system", null],
      ["message", "Sample User"],
      ["message", "TestBot"],
      ["message", "+410123456789"],
    ]);
    // Our bodies lose trailing whitespace; upstream keeps the final "\n".
    expect(parsed.entries[4]!.body).toBe("How are you?\n\nIs everything alright?");
    // 6 Mar → 8 May → 9 Apr goes backwards read day first, so the file is month first (as upstream infers).
    expect(parsed.dateOrder).toBe("mdy");
    expect(new Date(parsed.entries[0]!.at).toISOString()).toBe("2017-06-03T00:45:00.000Z");
  });

  it("idx-3 (#237): a day above 12 in the first date decides a file without commas", () => {
    const { entries } = inUtc("30/12/2020 13:00 - a: m\n13/1/2021 13:00 - a: m");
    expect(entries.map((e) => e.at)).toEqual([utc("2020-12-30T13:00:00"), utc("2021-01-13T13:00:00")]);
  });

  it.each([
    { id: "p-1", text: "23/06/2018, 01:55 p.m. - Loris: one\ntwo", kind: "message", author: "Loris", body: "one\ntwo", iso: "2018-06-23T13:55:00" },
    { id: "p-2", text: "03/02/17, 18:42 - Luke: ", kind: "message", author: "Luke", body: "", iso: "2017-02-03T18:42:00" },
    { id: "p-3", text: '06/03/2017, 00:45 - You created group "Test"\nThis is another line', kind: "system", author: null, body: 'You created group "Test"\nThis is another line', iso: "2017-03-06T00:45:00" },
    { id: "p-4", text: '06/03/2017, 00:45 - You created group "Test"', kind: "system", author: null, body: 'You created group "Test"', iso: "2017-03-06T00:45:00" },
    { id: "p-5", text: "23/06/2018, 01:55 p.m. - Loris: one\ntwo\n2016-04-29 10:30:00", kind: "message", author: "Loris", body: "one\ntwo\n2016-04-29 10:30:00", iso: "2018-06-23T13:55:00" },
    { id: "p-6", text: "23/06/2018, 01:55 a.m. - Luke: Hey!", kind: "message", author: "Luke", body: "Hey!", iso: "2018-06-23T01:55:00" },
    { id: "p-7", text: '06/03/2017, 00:45 - You created group "Test"', kind: "system", author: null, body: 'You created group "Test"', iso: "2017-03-06T00:45:00" },
  ])("$id: $kind from $author", ({ text, kind, author, body, iso }) => {
    expect(onlyEntry(inUtc(text))).toMatchObject({ kind, author, body, at: utc(iso) });
  });

  it.each([
    { id: "att-1", body: "< attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg >", file: "00000042-PHOTO-2020-06-07-15-13-20.jpg", type: "image", text: "" },
    { id: "att-2", body: "m", file: null, type: "text", text: "m" },
    { id: "att-3", body: "IMG-20210428-WA0001.jpg (file attached)", file: "IMG-20210428-WA0001.jpg", type: "image", text: "" },
    { id: "att-4", body: "2015-08-04-PHOTO-00004762.jpg <\u200eattached>", file: "2015-08-04-PHOTO-00004762.jpg", type: "image", text: "" },
    {
      id: "att-5",
      body: "\u200e4f2680f1db95a8454775cc2eefc95bfc.jpg (Datei angeh\u00e4ngt)\nDir auch frohe Ostern.",
      file: "4f2680f1db95a8454775cc2eefc95bfc.jpg",
      type: "image",
      text: "Dir auch frohe Ostern.",
    },
  ])("$id: the attachment is $file", ({ body, file, type, text }) => {
    expect(onlyEntry(inUtc(`3/6/18, 1:55 p.m. - a: ${body}`))).toMatchObject({ mediaFileName: file, type, body: text });
  });
});

describe("day and month order is decided from the whole file", () => {
  const mornings = (dates: string[]) => dates.map((date, i) => `${date}, 09:0${i} - ইউএনও সখীপুর: প্রতিবেদন ${i + 1}`).join("\n");

  it("a file whose only day above 12 is on its last line is read day first from the first line on", () => {
    const parsed = inDhaka(mornings(["01/02/2024", "05/02/2024", "13/02/2024"]));
    expect(parsed.dateOrder).toBe("dmy");
    expect(parsed.entries.map((e) => e.at)).toEqual([dhaka("2024-02-01T09:00:00"), dhaka("2024-02-05T09:01:00"), dhaka("2024-02-13T09:02:00")]);
  });

  it("the same mornings written month first are read month first, to the same instants", () => {
    const parsed = inDhaka(mornings(["02/01/2024", "02/05/2024", "02/13/2024"]));
    expect(parsed.dateOrder).toBe("mdy");
    expect(parsed.entries.map((e) => e.at)).toEqual([dhaka("2024-02-01T09:00:00"), dhaka("2024-02-05T09:01:00"), dhaka("2024-02-13T09:02:00")]);
  });

  it("with no day above 12, the reading under which the chat runs forward wins (1–3 Oct, then 1 Nov)", () => {
    const parsed = inDhaka(mornings(["01/10/2024", "02/10/2024", "03/10/2024", "01/11/2024"]));
    expect(parsed.dateOrder).toBe("dmy");
    expect(parsed.entries.map((e) => e.at)).toEqual([
      dhaka("2024-10-01T09:00:00"),
      dhaka("2024-10-02T09:01:00"),
      dhaka("2024-10-03T09:02:00"),
      dhaka("2024-11-01T09:03:00"),
    ]);
  });

  it("with no day above 12, chronology also recognises a month-first file", () => {
    const parsed = inDhaka(mornings(["10/01/2024", "10/02/2024", "10/03/2024", "11/01/2024"]));
    expect(parsed.dateOrder).toBe("mdy");
    expect(parsed.entries[3]!.at).toBe(dhaka("2024-11-01T09:03:00"));
  });

  it("when both readings run forward, the number that changes more often is the day", () => {
    // 5, 6, 7 October (day first) or 10 May, 10 June, 10 July (month first): days change daily.
    expect(inDhaka(mornings(["05/10/2024", "06/10/2024", "07/10/2024"])).dateOrder).toBe("dmy");
  });

  it("a single ambiguous date is read day first, as offices in Bangladesh write it", () => {
    const parsed = inDhaka(mornings(["05/10/2024"]));
    expect(parsed.dateOrder).toBe("dmy");
    expect(parsed.entries[0]!.at).toBe(dhaka("2024-10-05T09:00:00"));
  });

  it("a year-first file with nothing to decide it is read as ISO, month before day", () => {
    const parsed = inDhaka(mornings(["2024-05-10"]));
    expect(parsed.dateOrder).toBe("ymd");
    expect(parsed.entries[0]!.at).toBe(dhaka("2024-05-10T09:00:00"));
  });

  it.each([
    { order: "dmy", local: "2024-02-01T09:00:00" },
    { order: "mdy", local: "2024-01-02T09:00:00" },
  ] as const)("the record keeper's --date-order $order decides 01/02/2024", ({ order, local }) => {
    const parsed = inDhaka(mornings(["01/02/2024"]), order);
    expect(parsed.dateOrder).toBe(order);
    expect(parsed.entries[0]!.at).toBe(dhaka(local));
  });

  it("a forced year-day-month order reads 2024/05/10 as 5 October", () => {
    expect(onlyEntry(inDhaka(mornings(["2024/05/10"]), "ydm")).at).toBe(dhaka("2024-10-05T09:00:00"));
  });

  it("a forced order that makes a date impossible leaves that line as text, never a wrong date", () => {
    const parsed = inDhaka(mornings(["01/02/2024", "13/02/2024"]), "mdy");
    const entry = onlyEntry(parsed);
    expect(entry.at).toBe(dhaka("2024-01-02T09:00:00"));
    expect(entry.body).toBe("প্রতিবেদন 1\n13/02/2024, 09:01 - ইউএনও সখীপুর: প্রতিবেদন 2");
  });

  it("an impossible date (31 February) in a day-first file is text of the message before it", () => {
    const entry = onlyEntry(inDhaka(mornings(["22/02/2024", "31/02/2024"])));
    expect(entry.body).toBe("প্রতিবেদন 1\n31/02/2024, 09:01 - ইউএনও সখীপুর: প্রতিবেদন 2");
  });
});

describe("multi-line messages and continuation lines", () => {
  it("the DC's numbered directive keeps its lines, and its blank lines, in one message", () => {
    const text = [
      "22/10/2024, 15:30 - কাজী মাহমুদুল হাসান: বাজার মনিটরিং সংক্রান্ত নির্দেশনা:",
      "১. প্রতিটি উপজেলায় সপ্তাহে কমপক্ষে ২ দিন বাজার মনিটরিং করতে হবে।",
      "",
      "২. মোবাইল কোর্টের তথ্য সন্ধ্যা ৬টার মধ্যে পাঠাতে হবে।",
      "",
      "",
      "22/10/2024, 15:32 - সুমাইয়া ইসলাম: জি স্যার",
    ].join("\n");
    const [directive, reply] = inDhaka(text).entries;
    expect(directive).toMatchObject({
      line: 1,
      author: "কাজী মাহমুদুল হাসান",
      body: "বাজার মনিটরিং সংক্রান্ত নির্দেশনা:\n১. প্রতিটি উপজেলায় সপ্তাহে কমপক্ষে ২ দিন বাজার মনিটরিং করতে হবে।\n\n২. মোবাইল কোর্টের তথ্য সন্ধ্যা ৬টার মধ্যে পাঠাতে হবে।",
    });
    expect(reply).toMatchObject({ line: 7, author: "সুমাইয়া ইসলাম", body: "জি স্যার" });
  });

  it.each([
    { what: "a meeting typed with a date and a colon", line: "22/10/2024 10:00 সভা: জেলা সমন্বয় সভা" },
    { what: "an ISO timestamp", line: "2016-04-29 10:30:00" },
    { what: "a time range", line: "13:15 - 14:00" },
    { what: "a time with PM and a dash", line: "Time: 10:30 PM - জেলা প্রশাসকের সম্মেলন কক্ষ" },
    { what: "a date without a time", line: "23/10/2024 বিকাল ৩টা" },
    { what: "a copied iOS line in an Android chat", line: "[22/10/24, 9:15:03 AM] কাজী মাহমুদুল হাসান: সকল ইউএনও" },
    { what: "Bangla digits without a time", line: "২২.১০.২০২৪ পর্যন্ত" },
  ])("$what inside an Android message stays in the message: `$line`", ({ line }) => {
    const text = `22/10/2024, 09:00 - ফারহানা আক্তার: আগামী সপ্তাহের কর্মসূচি:\n${line}\n22/10/2024, 09:05 - শাহানা পারভীন: জি ম্যাডাম`;
    const { entries } = inDhaka(text);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.body).toBe(`আগামী সপ্তাহের কর্মসূচি:\n${line}`);
    expect(entries[1]).toMatchObject({ line: 3, author: "শাহানা পারভীন" });
  });

  it("an Android-looking line inside an iOS chat stays text", () => {
    const text = "[22/10/24, 9:00:00 AM] ফারহানা আক্তার: নিচের বার্তাটি দেখুন\n22/10/2024, 09:00 - ডিসি: সভা হবে\n[22/10/24, 9:05:00 AM] শাহানা পারভীন: জি";
    const { entries } = inDhaka(text);
    expect(entries.map((e) => e.body)).toEqual(["নিচের বার্তাটি দেখুন\n22/10/2024, 09:00 - ডিসি: সভা হবে", "জি"]);
  });

  it("lines before the first header (a truncated start) are dropped, and line numbers count them", () => {
    const text = "প্রতিবেদন পাঠানো হবে\nধন্যবাদ\n22/10/2024, 09:00 - কাজী মাহমুদুল হাসান: শুভ সকাল";
    const parsed = inDhaka(text);
    expect(parsed.lines).toBe(3);
    expect(onlyEntry(parsed)).toMatchObject({ line: 3, body: "শুভ সকাল" });
  });

  it("Windows line endings and trailing blank lines change nothing", () => {
    const parsed = inDhaka("22/10/2024, 09:00 - ডিসি: এক\r\nদুই\r\n22/10/2024, 09:01 - ইউএনও: জি স্যার\r\n\r\n");
    expect(parsed.lines).toBe(3);
    expect(parsed.entries.map((e) => [e.line, e.body])).toEqual([
      [1, "এক\nদুই"],
      [3, "জি স্যার"],
    ]);
  });

  it("a body's trailing spaces are trimmed but its first line's inner colons are kept", () => {
    expect(onlyEntry(inDhaka("22/10/2024, 11:40 - মো. রাশেদুল করিম: জরুরি: ভূমি উন্নয়ন কর   "))).toMatchObject({
      author: "মো. রাশেদুল করিম",
      body: "জরুরি: ভূমি উন্নয়ন কর",
    });
  });
});

describe("system lines", () => {
  it.each([
    {
      line: "22/10/2024, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
      action: "encryption",
    },
    { line: "22/10/2024, 09:00 - Messages to this group are now secured with end-to-end encryption. Tap for more info.", action: "encryption" },
    { line: '22/10/2024, 09:00 - মেহেদী হাসান created group "ডিসি অফিস টাঙ্গাইল"', action: "created" },
    { line: "22/10/2024, 09:01 - মেহেদী হাসান added কাজী মাহমুদুল হাসান", action: "added" },
    { line: "22/10/2024, 09:01 - মেহেদী হাসান added শাহানা পারভীন, তানভীর আহমেদ and +880 1711-000011", action: "added" },
    { line: "22/10/2024, 09:01 - You were added", action: "added" },
    { line: "22/10/2024, 09:02 - +880 1711-000011 left", action: "left" },
    { line: "22/10/2024, 09:02 - মেহেদী হাসান removed +880 1711-000011", action: "removed" },
    { line: "22/10/2024, 09:03 - +880 1711-000013 joined using this group's invite link", action: "joined" },
    {
      line: '22/10/2024, 09:04 - মেহেদী হাসান changed the subject from "ডিসি অফিস টাঙ্গাইল" to "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক"',
      action: "subject",
    },
    { line: '22/10/2024, 09:04 - মেহেদী হাসান changed the subject from "ডিসি অফিস" to "সভা: জেলা সমন্বয়"', action: "subject" },
    { line: '22/10/2024, 09:04 - মেহেদী হাসান created group "সভা: জেলা সমন্বয়"', action: "created" },
    { line: "22/10/2024, 09:04 - মেহেদী হাসান changed this group's icon", action: "icon" },
    { line: "22/10/2024, 09:04 - মেহেদী হাসান changed the group description", action: "description" },
    {
      line: "22/10/2024, 09:05 - মেহেদী হাসান changed this group's settings to allow only admins to send messages to this group",
      action: "settings",
    },
    { line: "22/10/2024, 09:05 - You're now an admin", action: "admin" },
    { line: "22/10/2024, 09:05 - Your security code with তানভীর আহমেদ changed. Tap to learn more.", action: "security-code" },
    { line: "22/10/2024, 09:05 - +880\u00a01711-000011 changed to +880\u00a01711-000012", action: "number-changed" },
    { line: "22/10/2024, 09:05 - নুসরাত জাহান changed their phone number to a new number. Tap to message or add the new number.", action: "number-changed" },
    { line: "22/10/2024, 09:05 - You turned off disappearing messages. Tap to change.", action: "disappearing" },
  ])("Android writes `$line` without an author: $action", ({ line, action }) => {
    const entry = onlyEntry(inDhaka(line));
    // No-break spaces inside system lines are read as plain spaces.
    const body = line.slice("22/10/2024, 09:00 - ".length).replace(/\u00a0/g, " ");
    expect(entry).toMatchObject({ kind: "system", type: "system", author: null, body });
    expect(systemAction(entry.body)).toBe(action);
  });

  it.each([
    {
      line: "[22/10/24, 9:00:00\u202fAM] ডিসি অফিস টাঙ্গাইল: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
      author: "ডিসি অফিস টাঙ্গাইল",
      body: "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
      action: "encryption",
    },
    {
      line: '[22/10/24, 9:00:00\u202fAM] ডিসি অফিস টাঙ্গাইল: \u200eমেহেদী হাসান created group "ডিসি অফিস টাঙ্গাইল"',
      author: "ডিসি অফিস টাঙ্গাইল",
      body: 'মেহেদী হাসান created group "ডিসি অফিস টাঙ্গাইল"',
      action: "created",
    },
    {
      line: "[22/10/24, 9:00:01\u202fAM] \u200eমেহেদী হাসান created group \u201cডিসি অফিস টাঙ্গাইল\u201d",
      author: null,
      body: "মেহেদী হাসান created group \u201cডিসি অফিস টাঙ্গাইল\u201d",
      action: "created",
    },
    { line: "[22/10/24, 9:01:12\u202fAM] \u200eমেহেদী হাসান added কাজী মাহমুদুল হাসান", author: null, body: "মেহেদী হাসান added কাজী মাহমুদুল হাসান", action: "added" },
    { line: "[22/10/24, 9:01:13\u202fAM] ডিসি অফিস টাঙ্গাইল: \u200eমেহেদী হাসান added you", author: "ডিসি অফিস টাঙ্গাইল", body: "মেহেদী হাসান added you", action: "added" },
    { line: "[24/10/24, 8:45:10\u202fAM] ডিসি অফিস টাঙ্গাইল: \u200eরুবাইয়াত ফেরদৌস left", author: "ডিসি অফিস টাঙ্গাইল", body: "রুবাইয়াত ফেরদৌস left", action: "left" },
    { line: "[24/10/24, 8:46:00\u202fAM] \u200eমেহেদী হাসান removed ফারহানা আক্তার", author: null, body: "মেহেদী হাসান removed ফারহানা আক্তার", action: "removed" },
    {
      line: "[24/10/24, 8:47:00\u202fAM] \u200eমেহেদী হাসান changed the subject to \u201cসভা: জেলা সমন্বয়\u201d",
      author: null,
      body: "মেহেদী হাসান changed the subject to \u201cসভা: জেলা সমন্বয়\u201d",
      action: "subject",
    },
    {
      line: "[24/10/24, 8:47:00\u202fAM] ডিসি অফিস টাঙ্গাইল: \u200eমেহেদী হাসান changed the subject to \u201cসভা: জেলা সমন্বয়\u201d",
      author: "ডিসি অফিস টাঙ্গাইল",
      body: "মেহেদী হাসান changed the subject to \u201cসভা: জেলা সমন্বয়\u201d",
      action: "subject",
    },
    {
      // After that change the group's own name holds ": ", and iOS writes its events under that name.
      line: "[24/10/24, 8:48:00\u202fAM] সভা: জেলা সমন্বয়: \u200eরুবাইয়াত ফেরদৌস left",
      author: "সভা: জেলা সমন্বয়",
      body: "রুবাইয়াত ফেরদৌস left",
      action: "left",
    },
    {
      line: "[24/10/24, 8:48:00\u202fAM] সভা: জেলা সমন্বয়: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
      author: "সভা: জেলা সমন্বয়",
      body: "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
      action: "encryption",
    },
    { line: "[24/10/24, 8:49:00\u202fAM] \u200eYou changed this group's icon", author: null, body: "You changed this group's icon", action: "icon" },
    {
      line: "[24/10/24, 8:50:00\u202fAM] \u200eতানভীর আহমেদ joined using this group's invite link",
      author: null,
      body: "তানভীর আহমেদ joined using this group's invite link",
      action: "joined",
    },
    {
      line: "[28/10/24, 1:31:13\u202fPM] \u202a+880\u00a01711-000013\u202c: \u200e\u200eYour security code with \u202a+880\u00a01711-000013\u202c changed. \u200eTap to learn more.",
      author: "+880 1711-000013",
      body: "Your security code with +880 1711-000013 changed. Tap to learn more.",
      action: "security-code",
    },
    {
      line: "[24/10/24, 8:51:00\u202fAM] \u200e\u200eমেহেদী হাসান turned off disappearing messages. \u200eTap to change.",
      author: null,
      body: "মেহেদী হাসান turned off disappearing messages. Tap to change.",
      action: "disappearing",
    },
    { line: "7/1/16, 4:56:55 PM: \u200eমেহেদী হাসান created this group", author: null, body: "মেহেদী হাসান created this group", action: "created" },
    {
      line: "5/30/16, 12:22:27: \u200eMessages you send to this group are now secured with end-to-end encryption.",
      author: null,
      body: "Messages you send to this group are now secured with end-to-end encryption.",
      action: "encryption",
    },
  ])("iOS writes `$body` under $author: $action", ({ line, author, body, action }) => {
    const entry = onlyEntry(inDhaka(line));
    expect(entry).toMatchObject({ kind: "system", type: "system", author, body });
    expect(systemAction(entry.body)).toBe(action);
  });

  it.each([
    { line: "22/10/2024, 09:03 - তানভীর আহমেদ: Missed voice call", author: "তানভীর আহমেদ", body: "Missed voice call", action: "call" },
    { line: "22/10/2024, 09:03 - তানভীর আহমেদ: Missed video call", author: "তানভীর আহমেদ", body: "Missed video call", action: "call" },
    { line: "[22/10/24, 10:20:11 PM] আরিফুর রহমান: \u200eMissed voice call", author: "আরিফুর রহমান", body: "Missed voice call", action: "call" },
    { line: "22/10/2024, 09:03 - +880 1711-000011: Waiting for this message", author: "+880 1711-000011", body: "Waiting for this message", action: "unavailable" },
    {
      line: "22/10/2024, 09:04 - নুসরাত জাহান: You turned on disappearing messages. All new messages will disappear from this chat 24 hours after they're sent. Tap to change.",
      author: "নুসরাত জাহান",
      body: "You turned on disappearing messages. All new messages will disappear from this chat 24 hours after they're sent. Tap to change.",
      action: "disappearing",
    },
  ])("WhatsApp writes `$body` as if $author had sent it, but it is a system line ($action)", ({ line, author, body, action }) => {
    const entry = onlyEntry(inDhaka(line));
    expect(entry).toMatchObject({ kind: "system", type: "system", author, body });
    expect(systemAction(entry.body)).toBe(action);
  });

  it("an officer's message that only mentions joining or leaving is still the officer's message", () => {
    const entry = onlyEntry(inDhaka("22/10/2024, 09:05 - রুবাইয়াত ফেরদৌস: ভুলবশত গ্রুপ থেকে left হয়ে গিয়েছিলাম, আবার added হয়েছি"));
    expect(entry).toMatchObject({ kind: "message", type: "text", author: "রুবাইয়াত ফেরদৌস" });
  });

  it.each([
    { body: "মেসেজ এবং কল এন্ড-টু-এন্ড এনক্রিপ্ট করা", action: "encryption" },
    { body: "মেহেদী হাসান গ্রুপ তৈরি করেছেন", action: "created" },
    { body: "মেহেদী হাসান শাহানা পারভীনকে যোগ করেছেন", action: "added" },
    { body: "রুবাইয়াত ফেরদৌস চলে গেছেন", action: "left" },
    { body: "মেহেদী হাসান ফারহানা আক্তারকে বাদ দিয়েছেন", action: "removed" },
    { body: "মেহেদী হাসান changed the group name to “ডিসি অফিস”", action: "subject" },
    { body: "You're no longer an admin", action: "admin" },
    { body: "মেহেদী হাসান updated the message timer. New messages will disappear from this chat 7 days after they're sent.", action: "disappearing" },
    { body: "Missed group video call", action: "call" },
    { body: "মেহেদী হাসান pinned a message", action: "other" },
  ])("systemAction reads `$body` as $action", ({ body, action }) => {
    expect(systemAction(body)).toBe(action);
  });
});

describe("bad input is the user's to fix: a UserError, never anything else", () => {
  it.each([
    { what: "an empty file", text: "" },
    { what: "only blank lines", text: "\n\n  \n" },
    { what: "only a byte order mark", text: "\ufeff" },
  ])("$what is reported as empty", ({ text }) => {
    expect(() => inDhaka(text)).toThrow(UserError);
    expect(() => inDhaka(text)).toThrow("the file is empty");
  });

  it.each([
    { what: "a letter, not an export", text: "মাননীয় জেলা প্রশাসক মহোদয়,\nবিনীত নিবেদন এই যে" },
    { what: "a CSV roster", text: "phone,name,designation,role\n+880 1711-000001,কাজী মাহমুদুল হাসান,জেলা প্রশাসক,superior" },
    { what: "dates with no time", text: "22/10/2024 সভা\n23/10/2024 সভা" },
    { what: "only impossible dates", text: "31/02/2024, 09:00 - ডিসি: x\n30/02/2024, 09:00 - ডিসি: y" },
    { what: "months above 12 both ways", text: "25/13/2024, 09:00 - ডিসি: x" },
    { what: "hours past 23", text: "22/10/2024, 25:00 - ডিসি: x" },
    { what: "a year before WhatsApp", text: "22/10/1999, 09:00 - ডিসি: x" },
    { what: "the copy-messages clipboard format (no year)", text: "[06/03, 2:39 PM] কাজী মাহমুদুল হাসান: সকল ইউএনও\n[06/03, 2:40 PM] শাহানা পারভীন: জি স্যার" },
  ])("$what has no messages", ({ text }) => {
    expect(() => inDhaka(text)).toThrow(UserError);
    expect(() => inDhaka(text)).toThrow('not a WhatsApp "Export chat" file');
  });

  it("odd inputs either parse or throw a UserError", () => {
    const odd = [
      "[",
      "]",
      "\u200e",
      "22/10/2024",
      "22/10/2024, 09:00",
      "22/10/2024, 09:00 - ",
      "22/10/2024, 09:00 -",
      "[22/10/24, 9:00:00 AM]",
      "[22/10/24, 9:00:00 AM] ",
      "22/10/2024, 09:00 - :",
      "22/10/2024, 09:00 - : : :",
      "00/00/0000, 00:00 - a: b",
      "9999/99/99, 99:99 - a: b",
      "২২/১০/২০২৪, রাত ৯৯:১৫ - নাম: x",
      "\u2028\u2028",
      "22/10/2024, 09:00 - a: @\u2068\n\u2069",
      "22/10/2024, 09:00 - a: <attached: >",
      "22/10/2024, 09:00 - a: .jpg (file attached)",
      "22/10/2024, 09:00 - a: POLL:",
    ];
    for (const text of odd) {
      try {
        inDhaka(text);
      } catch (error) {
        expect(error, JSON.stringify(text)).toBeInstanceOf(UserError);
      }
    }
  });
});

describe("formats we deliberately do not support are never silently mis-dated", () => {
  // From the research catalogue §2.10; each is real WhatsApp output in a locale our offices do not use.
  it.each([
    {
      format: "Arabic-Indic digits with the Arabic comma",
      lines: [
        "[\u0661\u0668\u200f/\u0663\u200f/\u0662\u0660\u0662\u0662\u060c \u0662:\u0665\u0666:\u0660\u0660\u00a0\u0645] \u202a+40\u00a0521\u00a0028\u00a061\u00a088\u202c: \u200f\u0627\u0644\u0631\u0633\u0627\u0626\u0644",
        "\u200f[\u0662\u0667\u200f/\u0663\u200f/\u0662\u0660\u0662\u0662\u060c \u0669:\u0664\u0661:\u0665\u0665\u00a0\u0645] Dmitry S: \u200f\u0644\u0645 \u064a\u062a\u0645",
      ],
    },
    {
      format: "Western digits with the Arabic comma",
      lines: ["[\u200f18\u200f/3\u200f/2022\u060c 14:56:01] Elon Musk: \u200f...", "\u200f[\u200f27\u200f/3\u200f/2022\u060c 21:41:55] Dmitry S: \u200f\u0644\u0645"],
    },
    { format: "Vietnamese time first", lines: ["[14:56:01, 3/18/22] Musk Elon: \u200eTin nh\u1eafn", "\u200e[21:41:55, 3/27/22] Dmitry S: \u200e\u0111\u00e3 b\u1ecf qua"] },
    { format: "Buddhist era year", lines: ["[3/18/2565 BE, 14:56:01] Elon Musk: \u200eMessages and calls are end-to-end encrypted.", "\u200e[3/27/2565 BE, 21:41:55] Dmitry S: \u200eimage omitted"] },
    { format: "Japanese era year", lines: ["[3/18/R4, 14:56:01] Elon Musk: x", "[1/7/R5, 23:32:30] Elon Musk: y"] },
    {
      format: "month-name dates",
      lines: ["19:23, 28 Aug 2013 - Tanay Gahlot: Viresh changed the subject", "18 Mar 12:14 - Shaggy changed the subject to \u201cThe horde\u201d", "Mar 5, 8:11 PM - Aravind Cm: Whoa."],
    },
  ])("$format: a whole file of them is a UserError, and inside a Bangla chat they stay text", ({ lines }) => {
    expect(() => inDhaka(lines.join("\n"))).toThrow(UserError);

    const text = ["22/10/2024, 09:00 - ফারহানা আক্তার: নিচের বার্তাগুলো ফরোয়ার্ড করা হলো", ...lines, "22/10/2024, 09:05 - শাহানা পারভীন: জি ম্যাডাম"].join("\n");
    const { entries } = inDhaka(text);
    expect(entries.map((e) => e.at)).toEqual([dhaka("2024-10-22T09:00:00"), dhaka("2024-10-22T09:05:00")]);
    expect(entries[0]!.body).toBe(["নিচের বার্তাগুলো ফরোয়ার্ড করা হলো", ...lines].join("\n"));
  });
});

describe("the sample exports", () => {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

  describe("data/sample-chat.txt (Android, Bangla, Tangail DC office)", () => {
    const parsed = inDhaka(read("../../data/sample-chat.txt"));
    const at = (line: number) => parsed.entries.find((e) => e.line === line)!;

    it("has 121 lines, 109 entries: 13 system lines and 96 messages, read day first", () => {
      expect(parsed.lines).toBe(121);
      expect(parsed.dateOrder).toBe("dmy");
      expect(parsed.entries).toHaveLength(109);
      expect(parsed.entries.filter((e) => e.kind === "system")).toHaveLength(13);
      const types: Record<string, number> = {};
      for (const e of parsed.entries) if (e.kind === "message") types[e.type] = (types[e.type] ?? 0) + 1;
      expect(types).toEqual({ text: 87, image: 5, media: 1, document: 2, revoked: 1 });
      expect(parsed.entries.filter((e) => e.edited).map((e) => e.line)).toEqual([53]);
    });

    it("opens with the encryption notice, the group's creation, seven additions, a new subject and an icon", () => {
      expect(parsed.entries.slice(0, 11).map((e) => systemAction(e.body))).toEqual([
        "encryption",
        "created",
        ...Array<string>(7).fill("added"),
        "subject",
        "icon",
      ]);
    });

    it("the DC's relief directive is his, at 09:15 Dhaka time on 22 October", () => {
      expect(at(15)).toEqual({
        line: 15,
        at: dhaka("2024-10-22T09:15:00"),
        kind: "message",
        author: "কাজী মাহমুদুল হাসান",
        body: "সকল ইউএনওকে আগামীকাল বিকাল ৩টার মধ্যে ত্রাণ বিতরণের প্রতিবেদন পাঠাতে হবে। প্রতিবেদনে ইউনিয়নভিত্তিক উপকারভোগীর সংখ্যা উল্লেখ করতে হবে।",
        type: "text",
        edited: false,
        mediaFileName: null,
        mentions: [],
      });
    });

    it("the market-monitoring directive keeps its four numbered lines", () => {
      expect(at(32).body.split("\n")).toHaveLength(5);
      expect(at(32).body.startsWith("বাজার মনিটরিং সংক্রান্ত নির্দেশনা:\n১. ")).toBe(true);
      expect(at(37)).toMatchObject({ author: "সুমাইয়া ইসলাম", at: dhaka("2024-10-22T15:32:00") });
    });

    it("the ADC's form is an image, the relief report a document with its title, a deletion and an edit", () => {
      expect(at(22)).toMatchObject({ author: "ফারহানা আক্তার", type: "image", mediaFileName: "IMG-20241022-WA0003.jpg", body: "" });
      expect(at(47)).toMatchObject({
        author: "শাহানা পারভীন",
        at: dhaka("2024-10-23T10:20:00"),
        type: "document",
        mediaFileName: "DOC-20241023-WA0005.pdf",
        body: "সখীপুর উপজেলার ত্রাণ বিতরণের প্রতিবেদন (২২.১০.২০২৪ পর্যন্ত)",
      });
      expect(at(52)).toMatchObject({ author: "আরিফুর রহমান", type: "revoked", body: "" });
      expect(at(53)).toMatchObject({ author: "আরিফুর রহমান", edited: true, body: "কালিহাতী উপজেলার প্রতিবেদন ইমেইলে পাঠানো হয়েছে স্যার।" });
      expect(at(30)).toMatchObject({ author: "আরিফুর রহমান", type: "media", body: "" });
    });

    it("an unsaved number writes as itself, and mentions are collected", () => {
      expect(at(20)).toMatchObject({ author: "+880 1711-000011", body: "ok sir" });
      expect(at(27).mentions).toEqual(["আবু সাঈদ মোল্লা"]);
      expect(at(27).body).toContain("@আবু সাঈদ মোল্লা বিষয়টি");
      expect(at(77)).toMatchObject({ kind: "system", author: null, body: "রুবাইয়াত ফেরদৌস left", at: dhaka("2024-10-24T10:15:00") });
    });
  });

  describe("test/fixtures/ios-chat.txt (iOS, 12h with \\u202f)", () => {
    const parsed = inDhaka(read("../fixtures/ios-chat.txt"));
    const at = (line: number) => parsed.entries.find((e) => e.line === line)!;

    it("has 32 lines, 29 entries: 4 system lines under the group's name and 25 messages", () => {
      expect(parsed.lines).toBe(32);
      expect(parsed.dateOrder).toBe("dmy");
      expect(parsed.entries).toHaveLength(29);
      const system = parsed.entries.filter((e) => e.kind === "system");
      expect(system.map((e) => [e.line, e.author, systemAction(e.body)])).toEqual([
        [1, "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক", "encryption"],
        [2, "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক", "created"],
        [3, "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক", "added"],
        [30, "ডিসি অফিস টাঙ্গাইল - দাপ্তরিক", "left"],
      ]);
      const types: Record<string, number> = {};
      for (const e of parsed.entries) if (e.kind === "message") types[e.type] = (types[e.type] ?? 0) + 1;
      expect(types).toEqual({ text: 20, image: 2, revoked: 2, document: 1 });
    });

    it("the DC's English directive is at 09:15:03 Dhaka time", () => {
      expect(at(6)).toMatchObject({
        at: dhaka("2024-10-22T09:15:03"),
        author: "কাজী মাহমুদুল হাসান",
        type: "text",
        body: "All UNOs are requested to submit the relief distribution report by 3 PM tomorrow.",
      });
    });

    it("3:45 PM and 12:15 AM are read on the 24-hour clock", () => {
      expect(at(15).at).toBe(dhaka("2024-10-22T15:45:19"));
      expect(at(15).body.split("\n")).toEqual([
        "Instructions for market monitoring:",
        "1. Conduct mobile courts at least twice a week.",
        "2. ডিমের নির্ধারিত মূল্য নিশ্চিত করতে হবে।",
        "3. Send the daily update to ADC (General) by 6 PM.",
      ]);
      expect(at(29)).toMatchObject({ at: dhaka("2024-10-24T00:15:22"), author: "+880 1711-000013" });
    });

    it("attachments, omissions, deletions, the edit and the mention", () => {
      expect(at(9)).toMatchObject({ type: "image", mediaFileName: "00000012-PHOTO-2024-10-22-09-20-11.jpg", body: "" });
      expect(at(11)).toMatchObject({ type: "image", mediaFileName: null, body: "" });
      expect(at(20)).toMatchObject({ author: "মাহবুব আলম", type: "revoked" });
      expect(at(21)).toMatchObject({ author: "ফারহানা আক্তার", type: "revoked" });
      expect(at(22)).toMatchObject({
        at: dhaka("2024-10-23T10:20:33"),
        type: "document",
        mediaFileName: "00000027-সখীপুর ত্রাণ প্রতিবেদন.pdf",
        body: "সখীপুর ত্রাণ প্রতিবেদন.pdf",
      });
      expect(at(24)).toMatchObject({ edited: true, body: "কালিহাতীর প্রতিবেদন ইমেইলে পাঠানো হয়েছে স্যার।" });
      expect(at(27).mentions).toEqual(["শাহানা পারভীন"]);
    });
  });
});

describe("two exports pasted into one file", () => {
  it("keeps every message of an Android export followed by an iPhone export", () => {
    const text = [
      "22/10/2024, 09:05 - কাজী মাহমুদুল হাসান: প্রথম",
      "[22/10/2024, 09:06:00] শাহানা পারভীন: দ্বিতীয়",
      "22/10/2024, 09:07 - তানভীর আহমেদ: তৃতীয়",
      "[22/10/2024, 09:08:00] আরিফুর রহমান: চতুর্থ",
    ].join("\n");
    const { entries, unreadLines } = parseChatExport(text, { timeZone: "Asia/Dhaka" });
    expect(entries.map((e) => [e.author, e.body])).toEqual([
      ["কাজী মাহমুদুল হাসান", "প্রথম"],
      ["শাহানা পারভীন", "দ্বিতীয়"],
      ["তানভীর আহমেদ", "তৃতীয়"],
      ["আরিফুর রহমান", "চতুর্থ"],
    ]);
    expect(unreadLines).toBe(0);
  });

  it("counts the lines before the first message, which cannot be archived", () => {
    const { unreadLines } = parseChatExport("কাটা পড়া লাইন\nআরেকটি\n22/10/2024, 09:05 - কাজী মাহমুদুল হাসান: শুভ সকাল", { timeZone: "Asia/Dhaka" });
    expect(unreadLines).toBe(2);
  });
});
