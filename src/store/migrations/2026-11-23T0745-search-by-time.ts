import { type Kysely, sql } from "kysely";

/**
 * The search index keyed by time instead of chain position, so that a search reads its matches newest
 * first and stops after the page it shows: a common word no longer reads (and sorts) every message that
 * holds it. Imports append old messages after newer ones, so chain order is not time order.
 *
 * The key of a message is the hour it was sent (UTC hours since 1970, held between 0 and 2^20 − 1, the
 * year 2089) times 2^33, plus its chain position (below 2^33): unique, below 2^53 (exact in JavaScript),
 * and in the order of time to the hour. An edit is keyed by the hour of the message it changed, so it is
 * found at that message's place. The index is rebuilt from the rows here; `verify` checks it against them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS messages_fts`.execute(db);
  await sql`DROP VIEW IF EXISTS search_documents`.execute(db);
  await sql`CREATE VIEW search_documents AS
    SELECT min(max(at / 3600000, 0), 1048575) * 8589934592 + seq AS key, seq, nirdesh_searchable(body) AS text FROM messages
    UNION ALL
    SELECT min(max(coalesce(m.at, e.at) / 3600000, 0), 1048575) * 8589934592 + e.seq, e.seq, nirdesh_searchable(e.body)
    FROM message_events e LEFT JOIN messages m ON m.id = e.message_id WHERE e.kind = 'edit'`.execute(db);
  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content='search_documents', content_rowid='key',
    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"
  )`.execute(db);
  await sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS messages_fts`.execute(db);
  await sql`DROP VIEW IF EXISTS search_documents`.execute(db);
  await sql`CREATE VIEW search_documents AS
    SELECT seq, nirdesh_searchable(body) AS text FROM messages
    UNION ALL
    SELECT seq, nirdesh_searchable(body) AS text FROM message_events WHERE kind = 'edit'`.execute(db);
  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content='search_documents', content_rowid='seq',
    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"
  )`.execute(db);
  await sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`.execute(db);
}
