import type { MessageType } from "../domain/message.js";
import { isRealDate, localTimeToUtc } from "../domain/time-zone.js";
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
  /** Lines before the first message (a truncated start): they have no time and are not archived. */
  unreadLines: number;
}

export interface ParseOptions {
  timeZone: string;
  /** Forces the order of day, month and year; decided from the whole file when absent. */
  dateOrder?: DateOrder;
  /** Names the file in error messages. */
  fileName?: string;
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

/** A header line and the lines that continue its message, as a range of the file's lines. */
interface Header {
  /** Index of the header's line. */
  index: number;
  /** Index of the first line after the entry. */
  end: number;
  ending: Ending;
  /** The date's three numbers and how many digits each was written with (a 4-digit one is the year). */
  numbers: [number, number, number];
  yearAt: 0 | 1 | 2;
  hour: number;
  minute: number;
  second: number;
  meridiem: string | undefined;
  /** The header line after the time and its separator. */
  first: string;
}

/**
 * Reads the text of a WhatsApp "Export chat" file (Android or iOS, any locale WhatsApp writes) into
 * entries. Day-versus-month order is decided from every date in the file, not from one line.
 */
export function parseChatExport(text: string, options: ParseOptions): ParsedExport {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = content.includes("\r") || content.includes("\u2028") ? content.split(/\r\n|\n|\r|\u2028/) : content.split("\n");
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const fileName = options.fileName ?? "chat";
  if (lines.length === 0) throw new UserError((t) => t.exportEmpty(fileName));

  const headers = readHeaders(lines);
  if (headers.length === 0) throw new UserError((t) => t.exportHasNoMessages(fileName));
  const dateOrder = options.dateOrder ?? decideDateOrder(headers);

  const entries: ExportEntry[] = [];
  let previous: Header | null = null;
  let previousAt = 0;
  for (const header of headers) {
    const at = instantOf(header, dateOrder, options.timeZone);
    if (at === null) {
      // A line that only looks like a header (its date is impossible in this file's order) is text.
      if (previous) previous.end = header.end;
      continue;
    }
    if (previous) entries.push(toEntry(lines, previous, previousAt));
    previous = header;
    previousAt = at;
  }
  if (previous) entries.push(toEntry(lines, previous, previousAt));
  if (entries.length === 0) throw new UserError((t) => t.exportHasNoMessages(fileName));
  return { entries, dateOrder, lines: lines.length, unreadLines: entries[0]!.line - 1 };
}

/**
 * Finds the header lines. A phone writes every header of a file the same way, so headers ending like
 * the file's most common kind count, and a date typed at the start of a message line ("22/10/2024
 * 10:00 সভা: …", or one iPhone line pasted into an Android chat) stays part of that message. A file
 * made of two exports pasted together, Android ` - ` and iPhone `] ` headers in numbers, keeps both.
 */
function readHeaders(lines: string[]): Header[] {
  const candidates: Header[] = [];
  const counts: Record<Ending, number> = { bracket: 0, dash: 0, colon: 0, space: 0 };
  for (let i = 0; i < lines.length; i++) {
    const candidate = startsLikeHeader(lines[i]!) ? readHeader(lines[i]!, i) : null;
    if (candidate) {
      candidates.push(candidate);
      counts[candidate.ending]++;
    }
  }
  const dominant = (Object.keys(counts) as Ending[]).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  const strong = (ending: Ending) => ending === "bracket" || ending === "dash";
  const alsoCounts = (ending: Ending) => strong(ending) && strong(dominant) && counts[ending] >= 2 && counts[ending] >= counts[dominant] / 10;
  const headers = candidates.filter((candidate) => candidate.ending === dominant || alsoCounts(candidate.ending));
  for (let i = 0; i < headers.length; i++) headers[i]!.end = i + 1 < headers.length ? headers[i + 1]!.index : lines.length;
  return headers;
}

function readHeader(line: string, index: number): Header | null {
  const match = HEADER.exec(line);
  if (!match) return null;
  const hour = numberOf(match[6]!);
  const minute = numberOf(match[7]!);
  const second = match[8] ? numberOf(match[8]) : 0;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const end = match[10]!;
  const ending: Ending = end.startsWith("]") ? "bracket" : end.includes("-") || end.includes("\u2013") ? "dash" : end.startsWith(":") ? "colon" : "space";
  if ((ending === "bracket") !== (match[1] !== undefined)) return null;
  const a = match[2]!;
  const b = match[3]!;
  const c = match[4]!;
  return {
    index,
    end: index + 1,
    ending,
    numbers: [numberOf(a), numberOf(b), numberOf(c)],
    yearAt: a.length === 4 ? 0 : b.length === 4 ? 1 : 2,
    hour,
    minute,
    second,
    meridiem: match[9] ?? match[5],
    first: line.slice(match[0].length),
  };
}

/** The value of a run of ASCII or Bangla digits. */
function numberOf(digits: string): number {
  let value = 0;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    value = value * 10 + (c >= 0x09e6 ? c - 0x09e6 : c - 0x30);
  }
  return value;
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

/** The year of a header's date. */
function yearOf(header: Header): number {
  const year = header.numbers[header.yearAt];
  return header.yearAt === 2 && year < 100 ? 2000 + year : year;
}

/** The number written first of the two that are not the year. */
function firstOf(header: Header): number {
  return header.numbers[header.yearAt === 0 ? 1 : 0];
}

/** The number written second of the two that are not the year. */
function secondOf(header: Header): number {
  return header.numbers[header.yearAt === 2 ? 1 : 2];
}

function decideDateOrder(headers: Header[]): DateOrder {
  const yearFirst = headers.some((h) => h.yearAt === 0);
  let firstOver12 = false;
  let secondOver12 = false;
  for (const header of headers) {
    if (firstOf(header) > 12) firstOver12 = true;
    if (secondOf(header) > 12) secondOver12 = true;
  }
  const dayFirst: DateOrder = yearFirst ? "ydm" : "dmy";
  const monthFirst: DateOrder = yearFirst ? "ymd" : "mdy";
  if (firstOver12 !== secondOver12) return firstOver12 ? dayFirst : monthFirst;
  // No day above 12 anywhere (or a mixed file): a chat runs forward in time, so the reading under
  // which dates go backwards less often is right; then the number that changes more often is the day.
  const backwards = (monthIsFirst: boolean) => {
    let count = 0;
    let previous = -Infinity;
    for (const header of headers) {
      const year = yearOf(header);
      const month = monthIsFirst ? firstOf(header) : secondOf(header);
      const day = monthIsFirst ? secondOf(header) : firstOf(header);
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
  for (let i = 1; i < headers.length; i++) {
    firstChanges += Math.abs(firstOf(headers[i]!) - firstOf(headers[i - 1]!));
    secondChanges += Math.abs(secondOf(headers[i]!) - secondOf(headers[i - 1]!));
  }
  if (firstChanges !== secondChanges) return firstChanges > secondChanges ? dayFirst : monthFirst;
  // Offices in Bangladesh write the day first; year-first dates are ISO (month before day).
  return yearFirst ? "ymd" : "dmy";
}

function instantOf(header: Header, order: DateOrder, timeZone: string): number | null {
  const year = yearOf(header);
  const dayFirst = order === "dmy" || order === "ydm";
  const month = dayFirst ? secondOf(header) : firstOf(header);
  const day = dayFirst ? firstOf(header) : secondOf(header);
  if (!isRealDate(year, month, day) || year < 2009 || year > 2100) return null;
  let hour = header.hour;
  if (header.meridiem !== undefined && hour <= 12) {
    const pm = isAfternoon(header.meridiem, hour);
    if (pm === true && hour < 12) hour += 12;
    if (pm === false && hour === 12) hour = 0;
  }
  return localTimeToUtc(year, month, day, hour, header.minute, header.second, timeZone);
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

function toEntry(lines: string[], header: Header, at: number): ExportEntry {
  const text = header.end - header.index > 1 ? `${header.first}\n${lines.slice(header.index + 1, header.end).join("\n")}` : header.first;
  const line = header.index + 1;
  const parts = splitAuthor(text);
  if (parts === null) return systemEntry(line, at, null, text);
  const { author, body } = parts;
  if (isSystemBody(body)) return systemEntry(line, at, author, body);
  const markers = readMarkers(body.trimEnd());
  return {
    line,
    at,
    kind: "message",
    author,
    body: markers.body,
    type: markers.type,
    edited: markers.edited,
    mediaFileName: markers.mediaFileName,
    mentions: markers.mentions,
  };
}

/**
 * WhatsApp speaking under someone's name: iOS writes system lines under the group's (or a person's)
 * name behind a U+200E mark, and both write missed calls and undecryptable messages as if sent.
 */
function isSystemBody(body: string): boolean {
  const unmarked = body.replace(LEADING_MARKS, "");
  return (body !== unmarked && SYSTEM_BODY_PHRASES.test(unmarked)) || AUTHORED_SYSTEM_BODY.test(unmarked);
}

function systemEntry(line: number, at: number, author: string | null, body: string): ExportEntry {
  return {
    line,
    at,
    kind: "system",
    author,
    // Phones inside system lines come wrapped in direction marks and with no-break spaces.
    body: body.replace(/[\u200e\u200f\u202a-\u202e]/g, "").replace(/[\u00a0\u202f]/g, " ").trimEnd(),
    type: "system",
    edited: false,
    mediaFileName: null,
    mentions: [],
  };
}

/**
 * Splits "author: body" at the first ": ". A group's name may itself hold ": " ("সভা: জেলা সমন্বয়:
 * \u200eX left"), so where ": " and a U+200E mark open a system line, that is where the author ends.
 */
function splitAuthor(text: string): { author: string; body: string } | null {
  const firstLineEnd = text.indexOf("\n");
  const firstLine = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  const marked = firstLine.indexOf(": \u200e");
  let at = marked > 0 && isSystemBody(text.slice(marked + 2)) ? marked : firstLine.indexOf(": ");
  // An empty message is written "Name:" with nothing after the colon.
  if (at === -1 && firstLine.endsWith(":") && firstLineEnd === -1) at = firstLine.length - 1;
  if (at <= 0) return null;
  const author = firstLine.slice(0, at);
  // "X changed the subject to "A: B"" has a colon too, but no author.
  if (at !== marked && SYSTEM_AUTHOR_PHRASES.test(author)) return null;
  return { author: cleanAuthor(author), body: text.slice(at + 2) };
}

/** A sender as WhatsApp writes it: `~ Name` for a push name, phone numbers wrapped in direction marks. */
const AUTHOR_NOISE = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u00a0\u202f~]/;

function cleanAuthor(author: string): string {
  if (!AUTHOR_NOISE.test(author)) return author.trim();
  const name = author
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\u00a0\u202f]/g, " ")
    .replace(/^~\s*/, "")
    .trim();
  // Someone with an empty push name is written as a bare "~"; keep it rather than a blank sender.
  return name === "" ? "~" : name;
}
