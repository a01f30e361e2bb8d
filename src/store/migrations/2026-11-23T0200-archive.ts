import { type Kysely, sql } from "kysely";

/** The archive: chats, people, imports, messages and their events, one hash chain, and search. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("chats")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("whatsapp_id", "text", (c) => c.unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("whatsapp_id", "text", (c) => c.unique())
    .addColumn("phone", "text", (c) => c.unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("designation", "text")
    .addColumn("roles", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("in_roster", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("person_names")
    .addColumn("name_key", "text", (c) => c.primaryKey())
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("imports")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("file_sha256", "text", (c) => c.notNull())
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("imported_at", "integer", (c) => c.notNull())
    .addColumn("date_order", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("messages_found", "integer", (c) => c.notNull())
    .addColumn("messages_added", "integer", (c) => c.notNull())
    .addColumn("events_added", "integer", (c) => c.notNull())
    .addColumn("head_seq", "integer", (c) => c.notNull())
    .addColumn("head_hash", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", "integer", (c) => c.notNull().unique())
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("whatsapp_id", "text", (c) => c.unique())
    .addColumn("import_key", "text", (c) => c.unique())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("import_id", "integer", (c) => c.references("imports.id"))
    .addColumn("sender_id", "integer", (c) => c.notNull().references("people.id"))
    .addColumn("sender_whatsapp_id", "text")
    .addColumn("sender_phone", "text")
    .addColumn("sender_name", "text", (c) => c.notNull())
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("archived_at", "integer", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("quoted_whatsapp_id", "text")
    .addColumn("mentions", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("forwarded", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("edited", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("media_sha256", "text")
    .addColumn("media_mimetype", "text")
    .addColumn("media_size", "integer")
    .addColumn("media_file_name", "text")
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("messages_by_chat_time").on("messages").columns(["chat_id", "at"]).execute();
  await db.schema.createIndex("messages_by_time").on("messages").columns(["at"]).execute();
  await db.schema.createIndex("messages_by_sender_time").on("messages").columns(["sender_id", "at"]).execute();
  await db.schema.createIndex("messages_by_quoted").on("messages").column("quoted_whatsapp_id").where(sql.ref("quoted_whatsapp_id"), "is not", null).execute();

  await db.schema
    .createTable("message_events")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("seq", "integer", (c) => c.notNull().unique())
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("message_id", "integer", (c) => c.references("messages.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("whatsapp_id", "text", (c) => c.unique())
    .addColumn("import_key", "text", (c) => c.unique())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("import_id", "integer", (c) => c.references("imports.id"))
    .addColumn("actor_id", "integer", (c) => c.references("people.id"))
    .addColumn("actor_whatsapp_id", "text")
    .addColumn("actor_phone", "text")
    .addColumn("actor_name", "text")
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("archived_at", "integer", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_by_message").on("message_events").columns(["message_id", "at"]).execute();
  await db.schema.createIndex("events_by_chat_time").on("message_events").columns(["chat_id", "at"]).execute();

  // The archive is append-only. These triggers stop mistakes; `nirdesh verify` does not rely on them,
  // because whoever edits the file directly can drop them.
  for (const table of ["messages", "message_events"]) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_update`)} BEFORE UPDATE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, 'the archive is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, 'the archive is append-only'); END`.execute(db);
  }

  // Search over message bodies and edited texts, keyed by chain position (seq). unicode61 with the
  // mark categories keeps Bangla vowel signs and the hasanta inside words, so নিয়মিত stays one word
  // instead of splitting at every vowel sign. The index reads its text from the archived rows through
  // a view (nirdesh_searchable is registered on every connection), so it stores no second copy and
  // `verify` can check it against the rows with FTS5's integrity-check.
  await sql`CREATE VIEW search_documents AS
    SELECT seq, nirdesh_searchable(body) AS text FROM messages
    UNION ALL
    SELECT seq, nirdesh_searchable(body) AS text FROM message_events WHERE kind = 'edit'`.execute(db);
  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content='search_documents', content_rowid='seq',
    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co Mc Mn'"
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE messages_fts`.execute(db);
  await sql`DROP VIEW search_documents`.execute(db);
  for (const table of ["message_events", "messages", "imports", "person_names", "people", "chats"]) {
    await db.schema.dropTable(table).execute();
  }
}
