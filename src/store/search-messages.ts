import { type RawBuilder, sql } from "kysely";
import { searchableText, searchPhrases } from "../domain/search-text.js";
import { UserError } from "../user-error.js";
import { type MessageView, readMessageViews } from "./message-views.js";
import { type Archive, oncePerArchive, type Prepared } from "./open-archive.js";
import { KEYS_PER_HOUR, searchKey } from "./search-key.js";

export interface SearchFilters {
  /** What the record keeper typed; never read as FTS syntax. */
  query?: string;
  chatId?: number;
  senderIds?: number[];
  since?: number;
  until?: number;
  /** Only directives (and decisions). */
  directives?: boolean;
  /** Only messages archived by this chain position: an export reads what the archive held when it began. */
  throughSeq?: number;
  limit: number;
}

export interface SearchResult {
  messages: MessageView[];
  /** The words the query was read as, for highlighting. */
  terms: string[];
  /** More messages match than `limit`. */
  more: boolean;
}

const MAX_QUERY_LENGTH = 1_000;
const MAX_TERMS = 32;

/** The filters of a search, without its page size: what an export or a report reads in full. */
export type MessageFilters = Omit<SearchFilters, "limit">;

/**
 * Finds messages, newest first. Each word of the query must begin a word of the message (or of one of
 * its edits): প্রতিবেদন finds প্রতিবেদনটি, করা does not find করতে. Quotes, `*`, `OR`, `NEAR(` and
 * brackets are text, never search syntax. A query of punctuation only is looked for as it is written.
 */
export function searchMessages(archive: Archive, filters: SearchFilters): SearchResult {
  const { ids, terms } = searchMessageIds(archive, filters);
  return { messages: readMessageViews(archive, ids.slice(0, filters.limit)), terms, more: ids.length > filters.limit };
}

/** The ids searchMessages shows, newest first, and one more when there are more; without their views. */
export function searchMessageIds(archive: Archive, filters: SearchFilters): { ids: number[]; terms: string[] } {
  const read = readQuery(archive, filters);
  const wanted = filters.limit + 1;
  const ids =
    read.match === null
      ? archive.all(matching(archive, filters, undefined, read).select.orderBy("m.at", "desc").orderBy("m.id", "desc").limit(wanted)).map((row) => row.id)
      : newestMatches(archive, read.match, filters, wanted);
  return { ids, terms: read.terms };
}

/** How many messages the filters find. */
export function countMessages(archive: Archive, filters: MessageFilters): number {
  const select = everyMatch(matching(archive, filters));
  return archive.get(archive.db.selectFrom(select.as("found")).select((eb) => eb.fn.countAll<number>().as("n")))!.n;
}

/**
 * Every message the filters find, oldest first, a page at a time: the next page starts after the last
 * message of this one (by time, then number), so memory stays flat however many there are.
 */
export function* messagePages(archive: Archive, filters: MessageFilters, pageSize = 1_000): Generator<MessageView[]> {
  // Read once: a query's words are looked up in the index's vocabulary, the same for every page.
  const read = readQuery(archive, filters);
  let after: { at: number; id: number } | null = null;
  for (;;) {
    let select = everyMatch(matching(archive, filters, undefined, read));
    if (after) select = select.where(sql<boolean>`(m.at, m.id) > (${after.at}, ${after.id})`);
    const ids = archive.all(select.orderBy("m.at").orderBy("m.id").limit(pageSize));
    if (ids.length === 0) return;
    yield readMessageViews(archive, ids.map((row) => row.id));
    if (ids.length < pageSize) return;
    const last = ids.at(-1)!;
    after = { at: last.at, id: last.id };
  }
}

/**
 * The ids and times of the messages the filters find, apart from the words of the query, which are
 * given as `match` (an FTS5 expression; `read`, when the query was read already), and the words the
 * query was read as. With `among`, only the messages of those ids are looked at.
 */
function matching(archive: Archive, filters: MessageFilters, among?: RawBuilder<{ id: number }>, { terms, match } = readQuery(archive, filters)) {
  const query = filters.query?.trim() ?? "";
  let select = messagesAmong(archive, among).select(["m.id", "m.at"]);
  if (match === null && query) {
    select = select.where(sql<boolean>`(instr(m.body, ${searchableText(query)}) > 0 OR instr(m.body, ${query}) > 0)`);
  }
  if (filters.chatId !== undefined) select = select.where("m.chat_id", "=", filters.chatId);
  if (filters.senderIds) select = select.where("m.sender_id", "in", filters.senderIds.length > 0 ? filters.senderIds : [-1]);
  if (filters.since !== undefined) select = select.where("m.at", ">=", filters.since);
  if (filters.until !== undefined) select = select.where("m.at", "<=", filters.until);
  if (filters.throughSeq !== undefined) select = select.where("m.seq", "<=", filters.throughSeq);
  if (filters.directives) {
    select = select.where((eb) => eb.exists(eb.selectFrom("directives as d").select("d.message_id").whereRef("d.message_id", "=", "m.id").where("d.directive", "=", 1)));
  }
  return { select, terms, match };
}

type Matching = ReturnType<typeof matching>;

/** The words the query was read as, and the FTS5 expression that finds them (null when it has none). */
function readQuery(archive: Archive, filters: MessageFilters): { terms: string[]; match: string | null } {
  const query = filters.query?.trim() ?? "";
  if (query.length > MAX_QUERY_LENGTH) throw new UserError((t) => t.queryTooLong(MAX_QUERY_LENGTH));
  const phrases = searchPhrases(query).slice(0, MAX_TERMS);
  const terms = [...new Set(phrases.flat())];
  const match = phrases.length > 0 ? phrases.map((words) => phraseMatch(archive, words)).join(" AND ") : null;
  return { terms, match };
}

/**
 * At most this many index words are looked for one by one in place of a prefix of one word (each costs a
 * step through the index's words; a prefix of more, say `7`, is cheaper read whole). A phrase of several
 * words is matched anew for each word its last one stands for, so only one is.
 */
const MOST_WORDS = 16;
/** Words this short are read from the index's own lists of words that begin with them (`prefix='1 2'`). */
const SHORT_PREFIX = 2;
/**
 * Words that the index's tokenizer (unicode61, remove_diacritics 2) keeps whole and as they are: ASCII
 * lower-case letters and digits, and the letters, digits and signs of the Bangla block (without U+0980,
 * newer than SQLite's tables, and U+09FC on). A test tokenizes every one of these characters to make sure.
 */
export const PLAIN_WORD = /^(?:[a-z0-9]|(?=[\p{L}\p{N}\p{M}])[\u0981-\u09fb])+$/u;

/**
 * A group of words as an FTS5 expression: a quoted phrase (so the user's text can never become FTS
 * syntax) whose last word may go on (প্রতিবেদন → প্রতিবেদনটি). FTS5 reads every index word a prefix
 * covers whole before it gives the first match (`"shelter"*` 0.5 ms, `"shelter"` 0.05 ms at 100k), where
 * one word read newest first stops after the page. So when the index holds only a few words that begin
 * with the last one, the phrase is written with each of them, joined by OR: the same matches. A word of
 * one or two characters has a list of its own in the index, read like one word.
 */
function phraseMatch(archive: Archive, words: string[]): string {
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const prefix = `${quoted(words.join(" "))}*`;
  const last = words.at(-1)!;
  if (!PLAIN_WORD.test(last) || last.length <= SHORT_PREFIX) return prefix;
  // The word itself, whether or not the index holds it (a word it does not hold finds nothing either way).
  const longer = longerIndexWords(archive, last, words.length === 1 ? MOST_WORDS - 1 : 0);
  if (longer === null) return prefix;
  const phrases = [last, ...longer].map((word) => quoted([...words.slice(0, -1), word].join(" ")));
  return phrases.length === 1 ? phrases[0]! : `(${phrases.join(" OR ")})`;
}

/**
 * The words of the search index that begin with `start` and go on, or null when there are more than
 * `most` or one is not a PLAIN_WORD. Each is one step through the index's words (about 15 µs), which
 * never reads which messages hold them.
 */
function longerIndexWords(archive: Archive, start: string, most: number): string[] | null {
  const next = indexWordsOf(archive);
  const found: string[] = [];
  // No word of the index holds U+0000: from a word plus U+0000 is from the next word after it.
  for (let from = `${start}\u0000`; ; ) {
    const word = next.get({ from })?.term;
    if (word === undefined || !word.startsWith(start)) return found;
    if (found.length === most || !PLAIN_WORD.test(word)) return null;
    found.push(word);
    from = `${word}\u0000`;
  }
}

/** The first word of the search index from `from` on (FTS5's vocabulary, one row per occurrence, read lazily). */
const indexWordsOf = oncePerArchive((archive) => {
  archive.sqlite.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_index_words USING fts5vocab(main, messages_fts, instance)");
  return archive.prepare<{ from: string }, { term: string }>((param) => sql<{ term: string }>`SELECT term FROM temp.search_index_words WHERE term >= ${param("from")} LIMIT 1`);
});

/**
 * The messages, or those among the ids `among` gives, which then lead: CROSS JOIN keeps SQLite from
 * walking a chat's or a period's messages by an index of the filters and looking each up among the ids.
 */
function messagesAmong(archive: Archive, among: RawBuilder<{ id: number }> | undefined) {
  const messages = archive.db.selectFrom("messages as m");
  if (among === undefined) return messages;
  // The cast: kysely would type the result as selecting from both; the filters read only `m`.
  return archive.db.selectFrom(sql<{ id: number }>`(${among})`.as("found")).crossJoin("messages as m").whereRef("m.id", "=", "found.id") as unknown as typeof messages;
}

/** Every message the filters and the words find, for counts and exports, which read them all. */
function everyMatch({ select, match }: Matching): Matching["select"] {
  if (match === null) return select;
  // The matches lead: a word found in a few thousand messages costs a few thousand lookups, however
  // large the archive.
  const entries = indexedMessages(sql`SELECT rowid AS key FROM messages_fts WHERE messages_fts MATCH ${match}`);
  return select.where(sql<boolean>`m.id IN (SELECT found.id FROM (${entries}) found)`);
}

/**
 * Index entries (`keys`: a query of one column, `key`) with the message each leads to: the message whose
 * words it indexes, or the one an edit changed.
 */
function indexedMessages(keys: RawBuilder<unknown>) {
  return sql<{ key: number; id: number }>`SELECT k.key, coalesce(
      (SELECT m2.id FROM messages m2 WHERE m2.seq = k.key % ${KEYS_PER_HOUR}),
      (SELECT e.message_id FROM message_events e WHERE e.seq = k.key % ${KEYS_PER_HOUR} AND e.kind = 'edit')) AS id
    FROM (${keys}) k`;
}

/**
 * The query of newestMatches for filters of this kind (which of them are given, and how many senders),
 * built once per archive and kind: building and compiling it with kysely cost more than running it
 * for a page of a common word (0.3 of 0.55 ms). Its values are named as newestMatches gives them.
 */
function newestMatchesQuery(archive: Archive, filters: MessageFilters): Prepared<Record<string, unknown>, { id: number; at: number; key: number }> {
  const queries = newestMatchesQueries(archive);
  const kind = [filters.chatId, filters.since, filters.until, filters.throughSeq].map((value) => (value === undefined ? "-" : "+")).join("");
  const key = `${kind}${filters.directives ? "d" : ""}${filters.senderIds?.length ?? ""}`;
  let query = queries.get(key);
  if (query === undefined) {
    query = archive.prepare<Record<string, unknown>, { id: number; at: number; key: number }>((param) => {
      const given = <T>(value: T | undefined, name: string) => (value === undefined ? {} : { [name]: param(name) as T });
      const shaped: MessageFilters = {
        ...given(filters.chatId, "chatId"),
        ...given(filters.since, "since"),
        ...given(filters.until, "until"),
        ...given(filters.throughSeq, "throughSeq"),
        ...(filters.senderIds && { senderIds: filters.senderIds.map((_, i) => param(`sender${i}`) as number) }),
        ...(filters.directives && { directives: true }),
      };
      // One query, read as it goes: the index's matches are set up once, and the rows the filters drop
      // never reach JavaScript.
      const entries = indexedMessages(
        sql`SELECT rowid AS key FROM messages_fts WHERE messages_fts MATCH ${param("match")} AND rowid >= ${param("from")} AND rowid < ${param("before")} ORDER BY rowid DESC`,
      );
      return matching(archive, shaped, entries)
        .select.select(sql<number>`found.key`.as("key"))
        .orderBy(sql`found.key`, "desc");
    });
    queries.set(key, query);
  }
  return query;
}

const newestMatchesQueries = oncePerArchive(() => new Map<string, Prepared<Record<string, unknown>, { id: number; at: number; key: number }>>());

/**
 * The ids of the newest `wanted` messages that the filters find among those whose words hold `match`,
 * newest first. The index is read newest hour first, and the reading stops once `wanted` messages were
 * found in hours after the one being read (every entry not yet read is from that hour or before): a
 * common word costs a few hours of matches, however many messages hold it. Dates bound the entries read.
 */
function newestMatches(archive: Archive, match: string, filters: MessageFilters, wanted: number): number[] {
  const values: Record<string, unknown> = {
    match,
    from: filters.since === undefined ? 0 : searchKey(filters.since, 0),
    before: filters.until === undefined ? 2 ** 53 : searchKey(filters.until, 0) + KEYS_PER_HOUR,
    chatId: filters.chatId,
    since: filters.since,
    until: filters.until,
    throughSeq: filters.throughSeq,
  };
  filters.senderIds?.forEach((id, i) => (values[`sender${i}`] = id));
  const found = new Map<number, number>();
  let hour = Infinity;
  for (const row of newestMatchesQuery(archive, filters).iterate(values)) {
    const rowHour = Math.floor(row.key / KEYS_PER_HOUR);
    if (rowHour < hour) {
      // Everything found so far is from later hours than anything still to be read.
      if (found.size >= wanted) break;
      hour = rowHour;
    }
    found.set(row.id, row.at);
  }
  return [...found]
    .sort(([idA, atA], [idB, atB]) => atB - atA || idB - idA)
    .slice(0, wanted)
    .map(([id]) => id);
}
