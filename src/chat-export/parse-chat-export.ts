import { toAsciiDigits } from "../domain/digits.js";
import type { MessageType } from "../domain/message.js";
import { isRealDate, wallClockToUtc } from "../domain/time-zone.js";
import { UserError } from "../user-error.js";
import { AUTHORED_SYSTEM_BODY, readMarkers, SYSTEM_AUTHOR_PHRASES, SYSTEM_BODY_PHRASES } from "./markers.js";

/** How the dates of an export are written: day first, month first, or year first. */
export type DateOrder = "dmy" | "mdy" | "ymd" | "ydm";
export const DATE_ORDERS: readonly DateOrder[] = ["dmy", "mdy", "ymd", "ydm"];

/** One message or system line of a chat export, as WhatsApp wrote it, with its time resolved. */
export interface ExportEntry {
  /** 1-based line number of the entry's first line in the file. */
  line: number;
  /** UTC milliseconds. */
  at: number;
  kind: "message" | "system";
  /** The sender as written (a saved name or a number), without direction marks; null for most system lines. */
  author: string | null;
  /** The text, without WhatsApp's markers (media, edited, direction marks around mentions). */
  body: string;
  type: MessageType;
  edited: boolean;
  /** The attached file's name when the export names one. */
  mediaFileName: string | null;
  /** What follows each `@` mention: a saved name or a number. */
  mentions: string[];
}

export interface ParsedExport {
  entries: ExportEntry[];
  /** The order the file's dates were read in: the order the user gave, or the one decided from the file. */
  dateOrder: DateOrder;
  lines: number;
}

export interface ParseOptions {
  timeZone: string;
  /** Forces the order of day, month and year; decided from the whole file when absent. */
  dateOrder?: DateOrder;
}

const DIGIT = "[0-9\u09e6-\u09ef]";
const SPACE = "[\\s\\u00a0\\u202f]";
const MARKS = "[\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]";
const MERIDIEM =
  "[aApP]\\.?\\s?[mM]\\.?|in the morning|in the afternoon|in the evening|at night|vorm\\.|nachm\\.|" +
  "পূর্বাহ্ণ|পূর্বাহ্ন|অপরাহ্ণ|অপরাহ্ন|সকাল|দুপুর|বিকাল|বিকেল|সন্ধ্যা|রাত|ভোর";
/**
 * A header: optional direction marks, an optional `[` (iOS), a date with `/`, `.` or `-` in any order,
 * a time with `:` or `.`, optional seconds and am/pm (Latin or Bangla), then what ends the header:
 * `] ` (iOS), ` - ` (Android), `: ` (old iOS) or a bare space.
 */
const HEADER = new RegExp(
  `^${MARKS}*(\\[)?${MARKS}*` +
    `(${DIGIT}{1,4})[./-]${SPACE}?(${DIGIT}{1,4})[./-]${SPACE}?(${DIGIT}{1,4})\\.?` +
    `[,.]?${SPACE}+(?:klo${SPACE}+)?(?:(${MERIDIEM})${SPACE}*)?` +
    `(${DIGIT}{1,2})[:.](${DIGIT}{2})(?:[:.](${DIGIT}{2}))?` +
    `(?:${SPACE}*(${MERIDIEM}))?` +
    `(\\]${SPACE}*(?:[-\\u2013]${SPACE}+)?|${SPACE}+[-\\u2013]${SPACE}+|:${SPACE}+|${SPACE}+)`,
);
const LEADING_MARKS = /^[\u200e\u200f\u202a-\u202e\u2066-\u2069]+/;

type Ending = "bracket" | "dash" | "colon" | "space";

interface Header {
  line: number;
  ending: Ending;
  numbers: [string, string, string];
  hour: number;
  minute: number;
  second: number;
  meridiem: string | undefined;
  rest: string[];
}

/**
 * Reads the text of a WhatsApp "Export chat" file (Android or iOS, any locale WhatsApp writes) into
 * entries. Day-versus-month order is decided from every date in the file, not from one line.
 */
export function parseChatExport(text: string, options: ParseOptions): ParsedExport {
  const lines = text.replace(/^\ufeff/, "").split(/\r\n|\n|\r|\u2028/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  if (lines.length === 0) throw new UserError((t) => t.exportEmpty);

  const headers = readHeaders(lines);
  if (headers.length === 0) throw new UserError((t) => t.exportHasNoMessages);
  const dateOrder = options.dateOrder ?? decideDateOrder(headers);

  const timed: Array<{ header: Header; at: number }> = [];
  for (const header of headers) {
    const at = instantOf(header, dateOrder, options.timeZone);
    const previous = timed[timed.length - 1];
    if (at !== null) timed.push({ header, at });
    // A line that only looks like a header (its date is impossible in this file's order) is text.
    else if (previous) previous.header.rest.push(lines[header.line - 1]!, ...header.rest.slice(1));
  }
  if (timed.length === 0) throw new UserError((t) => t.exportHasNoMessages);
  return { entries: timed.map(({ header, at }) => toEntry(header, at)), dateOrder, lines: lines.length };
}

/**
 * Finds the header lines. A phone writes every header of a file the same way, so only headers
 * ending like the file's most common kind count; a date typed at the start of a message line
 * ("22/10/2024 10:00 সভা: …") in a file of ` - ` headers stays part of that message.
 */
function readHeaders(lines: string[]): Header[] {
  const candidates: Array<Header | null> = lines.map((line, i) => (startsLikeHeader(line) ? readHeader(line, i + 1) : null));
  const counts: Record<Ending, number> = { bracket: 0, dash: 0, colon: 0, space: 0 };
  for (const candidate of candidates) if (candidate) counts[candidate.ending]++;
  const ending = (Object.keys(counts) as Ending[]).reduce((a, b) => (counts[b] > counts[a] ? b : a));

  const headers: Header[] = [];
  let current: Header | null = null;
  candidates.forEach((candidate, i) => {
    if (candidate && candidate.ending === ending) {
      current = candidate;
      headers.push(candidate);
    } else if (current) {
      current.rest.push(lines[i]!);
    }
    // Lines before the first header (a truncated start) carry no time and are dropped.
  });
  return headers;
}

function readHeader(line: string, lineNumber: number): Header | null {
  const match = HEADER.exec(line);
  if (!match) return null;
  const hour = Number(toAsciiDigits(match[6]!));
  const minute = Number(toAsciiDigits(match[7]!));
  const second = match[8] ? Number(toAsciiDigits(match[8])) : 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const end = match[10]!;
  const ending: Ending = end.startsWith("]") ? "bracket" : end.includes("-") || end.includes("\u2013") ? "dash" : end.startsWith(":") ? "colon" : "space";
  if ((ending === "bracket") !== (match[1] !== undefined)) return null;
  return {
    line: lineNumber,
    ending,
    numbers: [toAsciiDigits(match[2]!), toAsciiDigits(match[3]!), toAsciiDigits(match[4]!)],
    hour,
    minute,
    second,
    meridiem: match[9] ?? match[5],
    rest: [line.slice(match[0].length)],
  };
}

function startsLikeHeader(line: string): boolean {
  for (let i = 0; i < line.length && i < 8; i++) {
    const c = line.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x09e6 && c <= 0x09ef)) return true;
    const mark = c === 0x5b || c === 0x200e || c === 0x200f || c === 0xfeff || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (!mark) return false;
  }
  return false;
}

/** The year and the other two numbers of a date, in the order they are written. */
function split(numbers: [string, string, string]): { year: number; first: number; second: number } {
  const [a, b, c] = numbers;
  if (a.length === 4) return { year: Number(a), first: Number(b), second: Number(c) };
  if (b.length === 4) return { year: Number(b), first: Number(a), second: Number(c) };
  return { year: c.length <= 2 ? 2000 + Number(c) : Number(c), first: Number(a), second: Number(b) };
}

function decideDateOrder(headers: Header[]): DateOrder {
  const yearFirst = headers.some((h) => h.numbers[0].length === 4);
  const dates = headers.map((h) => split(h.numbers));
  let firstOver12 = false;
  let secondOver12 = false;
  for (const { first, second } of dates) {
    if (first > 12) firstOver12 = true;
    if (second > 12) secondOver12 = true;
  }
  const dayFirst: DateOrder = yearFirst ? "ydm" : "dmy";
  const monthFirst: DateOrder = yearFirst ? "ymd" : "mdy";
  if (firstOver12 !== secondOver12) return firstOver12 ? dayFirst : monthFirst;
  // No day above 12 anywhere (or a mixed file): a chat runs forward in time, so the reading under
  // which dates go backwards less often is right; then the number that changes more often is the day.
  const backwards = (monthIsFirst: boolean) => {
    let count = 0;
    let previous = -Infinity;
    for (const { year, first, second } of dates) {
      const [month, day] = monthIsFirst ? [first, second] : [second, first];
      const key = year * 10_000 + month * 100 + day;
      if (!isRealDate(year, month, day) || key < previous) count++;
      else previous = key;
    }
    return count;
  };
  const dayFirstBackwards = backwards(false);
  const monthFirstBackwards = backwards(true);
  if (dayFirstBackwards !== monthFirstBackwards) return dayFirstBackwards < monthFirstBackwards ? dayFirst : monthFirst;
  let firstChanges = 0;
  let secondChanges = 0;
  for (let i = 1; i < dates.length; i++) {
    firstChanges += Math.abs(dates[i]!.first - dates[i - 1]!.first);
    secondChanges += Math.abs(dates[i]!.second - dates[i - 1]!.second);
  }
  if (firstChanges !== secondChanges) return firstChanges > secondChanges ? dayFirst : monthFirst;
  // Offices in Bangladesh write the day first; year-first dates are ISO (month before day).
  return yearFirst ? "ymd" : "dmy";
}

function instantOf(header: Header, order: DateOrder, timeZone: string): number | null {
  const { year, first, second } = split(header.numbers);
  const dayFirst = order === "dmy" || order === "ydm";
  const [month, day] = dayFirst ? [second, first] : [first, second];
  if (!isRealDate(year, month, day) || year < 2009 || year > 2100) return null;
  let hour = header.hour;
  if (header.meridiem !== undefined && hour <= 12) {
    const pm = isAfternoon(header.meridiem, hour);
    if (pm === true && hour < 12) hour += 12;
    if (pm === false && hour === 12) hour = 0;
  }
  return wallClockToUtc({ year, month, day, hour, minute: header.minute, second: header.second }, timeZone);
}

/** true for PM, false for AM; Bangla day parts (সকাল, বিকাল…) say which half of the day they are in. */
function isAfternoon(meridiem: string, hour: number): boolean | undefined {
  const m = meridiem.toLowerCase().replace(/[\s.]/g, "");
  if (["am", "inthemorning", "vorm", "পূর্বাহ্ণ", "পূর্বাহ্ন", "সকাল", "ভোর"].includes(m)) return false;
  if (["pm", "intheafternoon", "intheevening", "nachm", "অপরাহ্ণ", "অপরাহ্ন", "বিকাল", "বিকেল", "সন্ধ্যা"].includes(m)) return true;
  // রাত ৯টা is 21:00 but রাত ২টা and রাত ১২টা are after midnight; দুপুর ১টা is 13:00 but দুপুর ১২টা is noon.
  if (m === "atnight" || m === "রাত") return hour >= 6 && hour !== 12;
  if (m === "দুপুর") return hour < 6 ? true : undefined;
  return undefined;
}

function toEntry(header: Header, at: number): ExportEntry {
  const text = header.rest.join("\n");
  const system = (author: string | null, body: string): ExportEntry => ({
    line: header.line,
    at,
    kind: "system",
    author,
    body: body.replace(LEADING_MARKS, "").trimEnd(),
    type: "system",
    edited: false,
    mediaFileName: null,
    mentions: [],
  });
  const parts = splitAuthor(text);
  if (parts === null) return system(null, text);
  const { author, body } = parts;
  const unmarked = body.replace(LEADING_MARKS, "");
  // iOS writes system lines under the group's (or a person's) name, behind a U+200E mark;
  // both write missed calls and undecryptable messages as if the person had sent them.
  if ((body !== unmarked && SYSTEM_BODY_PHRASES.test(unmarked)) || AUTHORED_SYSTEM_BODY.test(unmarked)) return system(author, body);
  const event = splitGroupEvent(text);
  if (event !== null) return system(event.author, event.body);
  const markers = readMarkers(body.trimEnd());
  return { line: header.line, at, kind: "message", author, ...markers };
}

function splitAuthor(text: string): { author: string; body: string } | null {
  const firstLineEnd = text.indexOf("\n");
  const firstLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  let at = firstLine.indexOf(": ");
  // An empty message is written "Name:" with nothing after the colon.
  if (at === -1 && firstLine.endsWith(":") && firstLineEnd === -1) at = firstLine.length - 1;
  if (at <= 0) return null;
  const author = firstLine.slice(0, at);
  // "X changed the subject to "A: B"" has a colon too, but no author.
  if (SYSTEM_AUTHOR_PHRASES.test(author)) return null;
  return { author: cleanAuthor(author), body: text.slice(at + 2) };
}

/**
 * iOS writes group events under the group's name, then ": " and a U+200E mark. A group's name may
 * itself hold ": " ("সভা: জেলা সমন্বয়: \u200eX left"), so there the mark, not the first colon, says
 * where the event starts.
 */
function splitGroupEvent(text: string): { author: string; body: string } | null {
  const firstLineEnd = text.indexOf("\n");
  const firstLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  const at = firstLine.indexOf(": \u200e");
  if (at <= 0) return null;
  const body = text.slice(at + 2);
  const unmarked = body.replace(LEADING_MARKS, "");
  if (!SYSTEM_BODY_PHRASES.test(unmarked) && !AUTHORED_SYSTEM_BODY.test(unmarked)) return null;
  return { author: cleanAuthor(firstLine.slice(0, at)), body };
}

/** A sender as WhatsApp writes it: `~ Name` for a push name, phone numbers wrapped in direction marks. */
function cleanAuthor(author: string): string {
  const name = author
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/^~\s*/, "")
    .trim();
  // Someone with an empty push name is written as a bare "~"; keep it rather than a blank sender.
  return name === "" ? "~" : name;
}
