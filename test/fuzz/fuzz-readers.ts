import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importChatExport } from "../../src/chat-export/import-chat-export.js";
import { parseChatExport } from "../../src/chat-export/parse-chat-export.js";
import { readDateRange } from "../../src/cli/message-filters.js";
import { readRosterFile } from "../../src/cli/roster.js";
import { decodeText } from "../../src/domain/decode-text.js";
import { readDate } from "../../src/domain/read-date.js";
import { detectDirective } from "../../src/domain/detect-directive.js";
import { readAcknowledgement } from "../../src/domain/read-acknowledgement.js";
import { readDeadline } from "../../src/domain/read-deadline.js";
import { readInChatCommand } from "../../src/domain/read-in-chat-command.js";
import { parseRoster } from "../../src/domain/roster.js";
import { searchPhrases } from "../../src/domain/search-text.js";
import { countMessages, searchMessages } from "../../src/store/search-messages.js";
import { readLexicons } from "../../src/lexicons.js";
import { UserError } from "../../src/user-error.js";
import { dhaka, fakeClock, memoryLogger, temporaryFolder, testArchive } from "../support.js";

/**
 * The seed of every fuzzed property: fixed, so a failure is the same on every machine and in CI.
 * fast-check names the failing input, the seed and the path to it; `NIRDESH_FUZZ_SEED=… npm test` tries others.
 */
const SEED = Number(process.env.NIRDESH_FUZZ_SEED ?? 20_241_022);
const ZONE = "Asia/Dhaka";

// What breaks readers: direction marks and joiners, control characters, lone surrogates, FTS5 and SQL
// syntax, Bangla digits, WhatsApp's own markers, and the words offices really write.
const MARKS = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"];
const CONTROLS = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\v", "\f", "\r", "\n", "\r\n", "\u001b[31m", "\u007f", "\u0085", "\u2028", "\u2029"];
const LONE_SURROGATES = ["\ud800", "\udfff", "\udc00", "\ud83d"];
const FTS_SYNTAX = ['"', '""', "*", "NEAR(", "NEAR(a b, 2)", "(", ")", " AND ", " OR ", " NOT ", "^", ":", "text:", "messages_fts:", "{text body}:", "-", "+"];
const SQL = ["'; DROP TABLE messages; --", "\" OR 1=1 --", "'", "%", "_", "\\", "/*", "*/", "UNION SELECT", ";", "`"];
const WORDS = ["প্রতিবেদন", "প্রতিবেদনটি", "জি স্যার", "আগামীকাল", "বিকাল ৪টার মধ্যে", "র\u200d্যাব", "নি\u09af\u09bcমিত", "ই-নথি", "২২/১০/২০২৪", "০১৭১১০০০০০১", "+880 1711-000001", "Noted sir", "REPORT", "café", "👍", "🙏🏽", "👨‍👩‍👧", "🇧🇩"];
const EXPORT_BITS = ["22/10/2024, 09:15 - ", "[22/10/24, 9:15:03\u202fAM] ", "২২/১০/২০২৪, ০৯:১৫ - ", "31/02/2024, 09:00 - ", "99/99/9999, 99:99 - ", "কাজী মাহমুদুল হাসান: ", "+880 1711-000013: ", "<attached: ", ">", "image omitted", "This message was deleted", "<This message was edited>", "POLL:\n"];

/** A megabyte on one line: a pasted document, or an attack on a reader that is quadratic. */
const HUGE_LINE = "প্রতিবেদন ২২/১০/২০২৪ ".repeat(2 ** 20 / 20).slice(0, 2 ** 20);
/** The longest message WhatsApp sends. */
const LONGEST_MESSAGE = 65_536;

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS, ...EXPORT_BITS) },
  { weight: 3, arbitrary: fc.constantFrom(...MARKS, ...CONTROLS, ...LONE_SURROGATES) },
  { weight: 3, arbitrary: fc.constantFrom(...FTS_SYNTAX, ...SQL) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 99_999 }).map((n) => (n % 2 ? String(n) : String(n).replace(/\d/g, (d) => String.fromCharCode(0x09e6 + Number(d))))) },
  { weight: 2, arbitrary: fc.constantFrom(" ", "  ", "/", ".", ",", "-", "\u00a0", "\u202f") },
);

/**
 * Anything a user could hand Nirdesh as text; now and then cut short, and about one in a thousand a
 * huge line (a megabyte in a file; as long as WhatsApp allows in a message). Every run also tries one
 * huge line first (check's examples), so `npm test` always has one.
 */
const textUpTo = (longest: number) =>
  fc.oneof(
    { weight: 800, arbitrary: fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join("")) },
    { weight: 200, arbitrary: fc.tuple(fc.array(piece, { maxLength: 40 }), fc.nat()).map(([pieces, cut]) => pieces.join("").slice(0, cut % 200)) },
    { weight: 1, arbitrary: fc.array(piece, { maxLength: 5 }).map((pieces) => `${pieces.join("")}${HUGE_LINE.slice(0, longest)}${pieces.reverse().join("")}`) },
  );
const hostileText = textUpTo(HUGE_LINE.length);
const hostileMessage = textUpTo(LONGEST_MESSAGE);

const digitsIn = (text: string, bangla: boolean) => (bangla ? text.replace(/\d/g, (d) => String.fromCharCode(0x09e6 + Number(d))) : text);
const two = (n: number) => String(n).padStart(2, "0");

/** A header line as Android or iPhone writes it, with any numbers (impossible dates and times too). */
const exportHeader = fc
  .record({
    day: fc.integer({ min: 0, max: 40 }),
    month: fc.integer({ min: 0, max: 14 }),
    year: fc.constantFrom(2019, 2024, 24, 1969, 9999),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    style: fc.constantFrom("android", "ios", "bangla"),
    mark: fc.constantFrom("", "\u200e", "\u202b"),
  })
  .map(({ day, month, year, hour, minute, style, mark }) => {
    const date = `${day}/${month}/${year}`;
    if (style === "ios") return `${mark}[${date}, ${hour % 12 || 12}:${two(minute)}:00\u202f${hour < 12 ? "AM" : "PM"}] `;
    return `${mark}${digitsIn(`${date}, ${two(hour)}:${two(minute)}`, style === "bangla")} - `;
  });

/** Text shaped like a chat export: headers, authors, bodies and continuation lines, sometimes cut mid-line. */
const exportText = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.tuple(exportHeader, fc.constantFrom("কাজী মাহমুদুল হাসান", "+880 1711-000013", "~\u202fনাম", "\u2068UNO\u2069", ""), hostileText).map(([header, author, body]) => `${header}${author}: ${body}`) },
        { weight: 1, arbitrary: hostileText },
      ),
      { minLength: 1, maxLength: 25 },
    ),
    fc.constantFrom("\n", "\r\n", "\r"),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([lines, newline, cut]) => {
    const text = lines.join(newline);
    return cut === undefined ? text : text.slice(0, cut % (text.length + 1));
  });

/** A roster cell typed badly: a few hostile pieces. */
const hostileCell = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(""));

/** A roster as Excel or a hand might write it: a header, rows of phones in every form, bad rows too. */
const rosterText = fc
  .tuple(
    fc.constantFrom("phone,name,designation,role", "ফোন,নাম,পদবি,ভূমিকা", "\ufeffphone;name;designation;role", "phone\tname\tdesignation\trole", "name,role", ""),
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom("+880 1711-000001", "01711000013", "০১৭১১০০০০২০", "8801711000014", "+8801711000001", "1711", "", "=1+1"), hostileCell),
        fc.oneof(fc.constantFrom("কাজী মাহমুদুল হাসান", '"Khan, A."', '"unclosed', "নাম\u200d"), hostileCell),
        fc.oneof(fc.constantFrom("ইউএনও", "", "DC; ADC"), hostileCell),
        fc.oneof(fc.constantFrom("superior", "officer", "recordkeeper", "record keeper;officer", "রেকর্ড কিপার", "boss", ""), hostileCell),
      ),
      { maxLength: 12 },
    ),
    fc.constantFrom(",", ";", "\t"),
    fc.constantFrom("\n", "\r\n"),
  )
  .map(([header, rows, delimiter, newline]) => [header, ...rows.map((row) => row.join(delimiter))].join(newline));

/** A date as a person types it (Bangla digits, any separator), possible or not, or anything at all. */
const typedDate = fc.oneof(
  fc
    .record({ year: fc.integer({ min: 1960, max: 10_050 }), month: fc.integer({ min: 0, max: 13 }), day: fc.integer({ min: 0, max: 32 }), separator: fc.constantFrom("/", ".", "-"), bangla: fc.boolean(), isoFirst: fc.boolean(), time: fc.option(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))) })
    .map(({ year, month, day, separator, bangla, isoFirst, time }) => {
      const date = isoFirst ? `${year}-${two(month)}-${two(day)}` : `${two(day)}${separator}${two(month)}${separator}${year}`;
      return digitsIn(time ? `${date} ${two(time[0])}:${two(time[1])}` : date, bangla);
    }),
  hostileText,
);

/** Only our own, user-facing errors may come out of reading what a user gives. */
function onlyUserErrors<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return undefined;
  }
}

/**
 * Runs a property with the fixed seed, after the examples given; fast-check's failure report names the
 * input, the seed and the path to it.
 */
function check<T>(runs: number, input: fc.Arbitrary<T>, property: (value: T) => void, examples: T[] = []): void {
  fc.assert(fc.property(input, property), { seed: SEED, numRuns: runs, examples: examples.map((example) => [example]) });
}

const BANGLA_DIGIT = /[০-৯]/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;
const WORD = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Co}]+/gu;

/** The words of a text, plainly: NFC, no invisible marks, ASCII digits, lower case, Latin accents off. */
function plainWords(text: string): string[] {
  const plain = text
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(BANGLA_DIGIT, (d) => String(d.charCodeAt(0) - 0x09e6))
    .toLowerCase()
    .replace(/[\u00c0-\u024f]/g, (c) => c.normalize("NFD").replace(/[\u0300-\u036f]/g, ""));
  return plain.match(WORD) ?? [];
}

/**
 * Whether a message matches a query, by the rule the README gives and nothing of FTS5: each group of
 * words typed together must stand in the message in that order, its last word possibly going on; a
 * query without words is looked for as written.
 */
function plainlyMatches({ body, words }: { body: string; words: string[] }, query: string): boolean {
  const typed = query.trim();
  if (!typed) return true;
  const groups = typed
    .split(/\s+/)
    .map(plainWords)
    .filter((words) => words.length > 0)
    .slice(0, 32);
  if (groups.length === 0) {
    // SQLite holds text as UTF-8: half of a surrogate pair is stored as U+FFFD.
    const sqlite = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
    const searchable = typed.normalize("NFC").replace(INVISIBLE, "").replace(BANGLA_DIGIT, (d) => String(d.charCodeAt(0) - 0x09e6));
    return sqlite(body).includes(sqlite(searchable)) || sqlite(body).includes(sqlite(typed));
  }
  return groups.every((group) =>
    words.some((_, start) => group.every((word, i) => (i === group.length - 1 ? words[start + i]?.startsWith(word) === true : words[start + i] === word))),
  );
}

// Messages and queries for the search property: the words offices write, in every form a user might type
// them (other case, Bangla digits, cut short, joined by punctuation), and syntax that must stay text.
const SEARCH_WORDS = ["প্রতিবেদন", "প্রতিবেদনটি", "ত্রাণ", "বিতরণ", "করা", "করতে", "র\u200d্যাব", "নিয়মিত", "নি\u09af\u09bcমিত", "ই", "নথি", "২০২৪", "2024", "১৫০০০", "Report", "REPORT", "reports", "café", "Cafe", "drop", "table", "messages", "near", "or", "and", "not", "x", "y"];
const SEARCH_GLUE = [" ", " ", " ", "-", ".", ",", "\n", '"', "*", "(", ")", "^", ":", " OR ", " AND ", " NOT ", "NEAR(", "'; ", "; --", "%", "👍", "\u200d", "\u200e"];
// A chat export cannot hold NUL (it would not be text); a query can.
const searchBody = fc.array(fc.tuple(fc.constantFrom(...SEARCH_WORDS), fc.constantFrom(...SEARCH_GLUE)), { maxLength: 12 }).map((parts) => parts.flat().join("").replace(/^\s+/, ""));
const searchQuery = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...SEARCH_WORDS), fc.nat(), fc.constantFrom(...SEARCH_GLUE), fc.boolean()), { minLength: 1, maxLength: 4 })
      .map((parts) => parts.map(([word, cut, glue, upper]) => `${(upper ? word.toUpperCase() : word).slice(0, 1 + (cut % word.length))}${glue}`).join("")),
  },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...SEARCH_GLUE, ...FTS_SYNTAX, ...SQL, "\u0000"), { minLength: 1, maxLength: 5 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: hostileText },
);

/**
 * The readers of everything a user hands Nirdesh, each given `runs` generated inputs: a chat export, a
 * roster, a typed date, a message's deadline, an in-chat command, and a search against a real archive.
 * `npm test` runs them a thousand times each; `npm run test:stress` ten thousand.
 */
export function fuzzReaders(runs: number): void {
  describe(`${runs.toLocaleString("en")} generated inputs per reader (seed ${SEED})`, () => {
    it("a chat export parses into entries in file order with real times, or is refused with our own error", () => {
      const input = fc.oneof({ weight: 4, arbitrary: exportText }, { weight: 4, arbitrary: hostileText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_000 }) });
      check<string | Uint8Array>(runs, input, (given) => {
        // Bytes are read as a .txt export is: UTF-8 or UTF-16 text, or refused (null) like a damaged file.
        const text = typeof given === "string" ? given : decodeText(given);
        if (text === null) return;
        const parsed = onlyUserErrors(() => parseChatExport(text, { timeZone: ZONE }));
        if (!parsed) return;
        expect(parsed.entries.length).toBeGreaterThan(0);
        let line = 0;
        for (const entry of parsed.entries) {
          expect(entry.line).toBeGreaterThan(line);
          line = entry.line;
          expect(Number.isFinite(entry.at)).toBe(true);
          if (entry.kind === "message") expect(entry.author).not.toBeNull();
          expect(entry.body).not.toMatch(/^\u200e/);
        }
      }, [HUGE_LINE, `22/10/2024, 09:15 - কাজী মাহমুদুল হাসান: ${HUGE_LINE}\n${HUGE_LINE}`]);
    });

    it("a roster loads E.164 phones and known roles only, or is refused with our own error", () => {
      const folder = temporaryFolder();
      const path = join(folder, "roster.csv");
      check(runs, fc.oneof({ weight: 4, arbitrary: rosterText }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) }), (input) => {
        // Text goes through the parser; bytes through the command line's reader (binary, UTF-16, broken UTF-8).
        const entries =
          typeof input === "string"
            ? onlyUserErrors(() => parseRoster(input, "roster.csv"))
            : onlyUserErrors(() => (writeFileSync(path, input), readRosterFile(path).entries));
        for (const entry of entries ?? []) {
          expect(entry.phone).toMatch(/^\+[1-9]\d{7,14}$/);
          for (const role of entry.roles ?? []) expect(["superior", "officer", "recordkeeper"]).toContain(role);
        }
        if (entries) expect(new Set(entries.map((entry) => entry.phone)).size).toBe(entries.length);
      }, [`phone,name,designation,role\n+8801711000001,${HUGE_LINE},ইউএনও,officer`]);
    });

    it("a typed date is read as the day it names, in Bangla or ASCII digits, or refused with our own error", () => {
      check<[string, string]>(runs, fc.tuple(typedDate, typedDate), ([since, until]) => {
        const at = readDate(since, ZONE);
        if (at !== null) {
          expect(Number.isFinite(at)).toBe(true);
          // A day the user named: the same date, written back, reads the same instant.
          const day = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(since.replace(/[০-৯]/g, (d) => String(d.charCodeAt(0) - 0x09e6)).trim());
          if (day) expect(at).toBe(dhaka(Number(day[3]), Number(day[2]), Number(day[1]), 0, 0));
          const end = readDate(since, ZONE, true)!;
          expect(end).toBeGreaterThanOrEqual(at);
        }
        onlyUserErrors(() => readDateRange({ since, until }, ZONE));
      }, [[HUGE_LINE, "৩১/০২/২০২৪"], ["২২/১০/২০২৪", "২১/১০/২০২৪"]]);
    });

    it("a message gets a verdict, a deadline after it was sent or none, an answer or none, a command or none", () => {
      const sentAt = dhaka(2024, 10, 22, 9, 15);
      const lexicons = readLexicons();
      check(runs, hostileMessage, (body) => {
        const detection = detectDirective({ body, type: "text", at: sentAt, forwarded: false, mentions: [] }, lexicons.directive, ZONE);
        expect(detection.confidence).toBeGreaterThanOrEqual(0);
        expect(detection.confidence).toBeLessThanOrEqual(1);
        const deadline = readDeadline(body, sentAt, ZONE);
        if (deadline) expect(deadline.at).toBeGreaterThanOrEqual(sentAt);
        const answer = readAcknowledgement(body, lexicons.acknowledgement);
        if (answer) expect(["acknowledged", "done"]).toContain(answer.kind);
        const command = readInChatCommand(body);
        if (command) expect(body).toContain(command.argument);
      }, [HUGE_LINE.slice(0, LONGEST_MESSAGE), `!খুঁজুন ${HUGE_LINE.slice(0, LONGEST_MESSAGE)}`]);
    });

    it("a search finds exactly the messages that plainly contain the words typed, whatever they are", async () => {
      const { archive, media, folder } = await testArchive();
      const bodies = fc.sample(searchBody, { seed: SEED, numRuns: 150 });
      const path = join(folder, "WhatsApp Chat with খোঁজ.txt");
      const start = dhaka(2024, 10, 22, 9, 0);
      const header = (i: number) => {
        const at = new Date(start + 6 * 3_600_000 + i * 60_000);
        return `${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}/${at.getUTCFullYear()}, ${two(at.getUTCHours())}:${two(at.getUTCMinutes())} - ইউএনও ${i % 7}: `;
      };
      writeFileSync(path, bodies.map((body, i) => `${header(i)}${body.replace(/[\r\n\u2028]+/g, " ")}`).join("\n"));
      await importChatExport(archive, media, path, { timeZone: ZONE }, fakeClock().now, memoryLogger().log);
      // The archived words, as the parser left them: the model is checked against the archive, not the generator.
      const archived = archive
        .all(archive.db.selectFrom("messages").select(["id", "at", "body"]))
        .map((row) => ({ ...row, words: plainWords(row.body) }))
        .sort((a, b) => b.at - a.at || b.id - a.id);
      expect(archived.length).toBeGreaterThan(120);

      // How many match, and which are the newest five: reading every match's view would cost seconds.
      check(runs, searchQuery, (query) => {
        const found = onlyUserErrors(() => ({ count: countMessages(archive, { query }), newest: searchMessages(archive, { query, limit: 5 }).messages }));
        if (!found) {
          expect(query.trim().length).toBeGreaterThan(1_000);
          return;
        }
        const expected = archived.filter((row) => plainlyMatches(row, query)).map((row) => row.id);
        const said = `${JSON.stringify(query)}, read as ${JSON.stringify(searchPhrases(query))}`;
        expect(found.count, said).toBe(expected.length);
        expect(found.newest.map((message) => message.id), said).toEqual(expected.slice(0, 5));
      }, [HUGE_LINE, "'; DROP TABLE messages; --", '"প্রতিবেদন" OR NEAR(ত্রাণ বিতরণ)', "text:ত্রাণ", "{text}: report*", "২০২৪", "\u0000"]);
    });
  });
}
