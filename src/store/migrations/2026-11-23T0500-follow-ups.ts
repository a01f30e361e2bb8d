import { type Kysely, sql } from "kysely";

/**
 * Nudges, reminders, escalations and digests. `outbox` holds each one from the moment it is decided
 * (its words are also chained as an `outgoing` event) until WhatsApp has taken it, so a restart
 * neither repeats nor skips one. `follow_ups` says when each live directive is next worth a look:
 * the minute's scan reads only what is due, whatever the size of the archive.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("follow_ups")
    .addColumn("directive_id", "integer", (c) => c.primaryKey().references("messages.id"))
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("due_at", "integer")
    .addColumn("started_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("follow_ups_due").on("follow_ups").column("due_at").where(sql.ref("due_at"), "is not", null).execute();
  // A chat's open follow-ups, looked at again when the chat is worked out anew.
  await db.schema.createIndex("follow_ups_open_by_chat").on("follow_ups").columns(["chat_id", "due_at"]).where(sql.ref("due_at"), "is not", null).execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("directive_id", "integer", (c) => c.references("messages.id"))
    .addColumn("send_to", "text", (c) => c.notNull())
    .addColumn("people", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("quoted_whatsapp_id", "text")
    .addColumn("mentions", "text", (c) => c.notNull())
    .addColumn("urgent", "integer", (c) => c.notNull())
    .addColumn("digest_day", "text")
    .addColumn("written_at", "integer", (c) => c.notNull())
    .addColumn("written_seq", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("sent_at", "integer")
    .addColumn("sent_whatsapp_id", "text")
    .addColumn("last_error", "text")
    .execute();
  await db.schema.createIndex("outbox_waiting").on("outbox").column("id").where(sql.ref("status"), "=", "written").execute();
  await db.schema.createIndex("outbox_by_directive").on("outbox").column("directive_id").execute();
  await db.schema.createIndex("outbox_digests").on("outbox").column("digest_day").where(sql.ref("digest_day"), "is not", null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["outbox", "follow_ups"]) await db.schema.dropTable(table).execute();
}
