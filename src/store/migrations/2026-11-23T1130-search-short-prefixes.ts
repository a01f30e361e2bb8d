import { type Kysely, sql } from "kysely";

/**
 * The search index also keeps the words' first character and first two characters (FTS5's `prefix='1 2'`),
 * so that a query ending in a short word (a ward or union number, `গজারিয়া-7`; the last part of a memo
 * number, `…০০০.৪২`) reads one list of matches newest first, instead of every word that begins with it
 * (`7`: 111 words at 100,000 messages, read whole before the first match). It costs the index about two
 * thirds more space (58 bytes a message) and every archived row a few more index entries. The index is
 * rebuilt from the rows, with the same words and keys as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createIndex(db, sql`, prefix='1 2'`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await createIndex(db, sql``);
}

async function createIndex(db: Kysely<unknown>, prefixes: ReturnType<typeof sql>): Promise<void> {
  await sql`DROP TABLE IF EXISTS messages_fts`.execute(db);
  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content='search_documents', content_rowid='key',
    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"${prefixes}
  )`.execute(db);
  await sql`INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')`.execute(db);
}
