import { sql } from "kysely";
import { searchableText, searchPhrases } from "../domain/search-text.js";
import { UserError } from "../user-error.js";
import { type MessageView, readMessageViews } from "./message-views.js";
import type { Archive } from "./open-archive.js";

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
  const { select, terms } = matching(archive, filters);
  const ids = archive.all(select.orderBy("m.at", "desc").orderBy("m.id", "desc").limit(filters.limit + 1)).map((row) => row.id);
  return { messages: readMessageViews(archive, ids.slice(0, filters.limit)), terms, more: ids.length > filters.limit };
}

/** How many messages the filters find. */
export function countMessages(archive: Archive, filters: MessageFilters): number {
  const { select } = matching(archive, filters);
  return archive.get(archive.db.selectFrom(select.as("found")).select((eb) => eb.fn.countAll<number>().as("n")))!.n;
}

/**
 * Every message the filters find, oldest first, a page at a time: the next page starts after the last
 * message of this one (by time, then number), so memory stays flat however many there are.
 */
export function* messagePages(archive: Archive, filters: MessageFilters, pageSize = 1_000): Generator<MessageView[]> {
  let after: { at: number; id: number } | null = null;
  for (;;) {
    let { select } = matching(archive, filters);
    if (after) select = select.where(sql<boolean>`(m.at, m.id) > (${after.at}, ${after.id})`);
    const ids = archive.all(select.orderBy("m.at").orderBy("m.id").limit(pageSize));
    if (ids.length === 0) return;
    yield readMessageViews(archive, ids.map((row) => row.id));
    if (ids.length < pageSize) return;
    const last = ids.at(-1)!;
    after = { at: last.at, id: last.id };
  }
}

/** The ids and times of the messages the filters find, and the words the query was read as. */
function matching(archive: Archive, filters: MessageFilters) {
  const query = filters.query?.trim() ?? "";
  if (query.length > MAX_QUERY_LENGTH) throw new UserError((t) => t.queryTooLong(MAX_QUERY_LENGTH));
  const phrases = searchPhrases(query).slice(0, MAX_TERMS);
  const terms = [...new Set(phrases.flat())];

  // First the ids, from the messages table alone; then the views of only those. A view reads several
  // subqueries per row, and sorting every match with them cost seconds on a large archive.
  let select = archive.db.selectFrom("messages as m").select(["m.id", "m.at"]);
  if (phrases.length > 0) {
    // Each group of words becomes a quoted phrase whose last word may go on (প্রতিবেদন → প্রতিবেদনটি);
    // quoted, so the user's text can never become FTS syntax.
    const match = phrases.map((words) => `"${words.join(" ").replaceAll('"', '""')}"*`).join(" AND ");
    // The matches lead (CROSS JOIN keeps SQLite from walking every message by time instead): a word
    // found in a few thousand messages costs a few thousand lookups, however large the archive.
    const found = sql`SELECT m2.id FROM (SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ${match}) h
      CROSS JOIN messages m2 ON m2.seq = h.seq
      UNION SELECT e.message_id FROM (SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ${match}) h2
      CROSS JOIN message_events e ON e.seq = h2.seq WHERE e.kind = 'edit'`;
    select = select.where(sql<boolean>`m.id IN (${found})`);
  } else if (query) {
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
  return { select, terms };
}
