import { sql } from "kysely";
import { searchableText, searchPhrases } from "../domain/search-text.js";
import { UserError } from "../user-error.js";
import { type MessageView, selectMessageViews, toMessageView } from "./message-views.js";
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

/**
 * Finds messages, newest first. Each word of the query must begin a word of the message (or of one of
 * its edits): প্রতিবেদন finds প্রতিবেদনটি, করা does not find করতে. Quotes, `*`, `OR`, `NEAR(` and
 * brackets are text, never search syntax. A query of punctuation only is looked for as it is written.
 */
export function searchMessages(archive: Archive, filters: SearchFilters): SearchResult {
  const query = filters.query?.trim() ?? "";
  if (query.length > MAX_QUERY_LENGTH) throw new UserError((t) => t.queryTooLong(MAX_QUERY_LENGTH));
  const phrases = searchPhrases(query).slice(0, MAX_TERMS);
  const terms = [...new Set(phrases.flat())];

  let select = selectMessageViews(archive);
  if (phrases.length > 0) {
    // Each group of words becomes a quoted phrase whose last word may go on (প্রতিবেদন → প্রতিবেদনটি);
    // quoted, so the user's text can never become FTS syntax.
    const match = phrases.map((words) => `"${words.join(" ").replaceAll('"', '""')}"*`).join(" AND ");
    const hits = sql`SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match}`;
    select = select.where(
      sql<boolean>`(m.seq IN (${hits}) OR m.id IN (SELECT e.message_id FROM message_events e WHERE e.kind = 'edit' AND e.seq IN (${hits})))`,
    );
  } else if (query) {
    select = select.where(sql<boolean>`(instr(m.body, ${searchableText(query)}) > 0 OR instr(m.body, ${query}) > 0)`);
  }
  if (filters.chatId !== undefined) select = select.where("m.chat_id", "=", filters.chatId);
  if (filters.senderIds) select = select.where("m.sender_id", "in", filters.senderIds.length > 0 ? filters.senderIds : [-1]);
  if (filters.since !== undefined) select = select.where("m.at", ">=", filters.since);
  if (filters.until !== undefined) select = select.where("m.at", "<=", filters.until);
  if (filters.directives) select = select.where("d.directive", "=", 1);
  const rows = archive.all(select.orderBy("m.at", "desc").orderBy("m.id", "desc").limit(filters.limit + 1));
  return { messages: rows.slice(0, filters.limit).map(toMessageView), terms, more: rows.length > filters.limit };
}
