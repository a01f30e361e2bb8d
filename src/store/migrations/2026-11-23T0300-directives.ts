import { type Kysely, sql } from "kysely";

/**
 * What directive tracking concluded: which messages are directives and why, who was expected to
 * acknowledge each, and who did. Unlike messages and events these rows are not evidence and not
 * chained: they are worked out again from the archived rows, the roster and the lexicons whenever any
 * of them changes (`tracking` says from what they were last worked out).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("directives")
    .addColumn("message_id", "integer", (c) => c.primaryKey().references("messages.id"))
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("issuer_id", "integer", (c) => c.notNull().references("people.id"))
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("directive", "integer", (c) => c.notNull())
    .addColumn("detected", "integer", (c) => c.notNull())
    .addColumn("marked", "integer")
    .addColumn("score", "real", (c) => c.notNull())
    .addColumn("confidence", "real", (c) => c.notNull())
    .addColumn("cues", "text", (c) => c.notNull())
    .addColumn("urgent", "integer", (c) => c.notNull())
    .addColumn("decision", "integer", (c) => c.notNull())
    .addColumn("deadline", "integer")
    .addColumn("deadline_all_day", "integer")
    .addColumn("deadline_text", "text")
    .execute();
  await db.schema.createIndex("directives_by_chat").on("directives").columns(["chat_id", "at"]).where(sql.ref("directive"), "=", 1).execute();
  await db.schema.createIndex("directives_by_time").on("directives").column("at").where(sql.ref("directive"), "=", 1).execute();

  await db.schema
    .createTable("directive_people")
    .addColumn("directive_id", "integer", (c) => c.notNull().references("directives.message_id"))
    .addColumn("person_id", "integer", (c) => c.notNull().references("people.id"))
    .addColumn("chat_id", "integer", (c) => c.notNull().references("chats.id"))
    .addColumn("acknowledged_at", "integer")
    .addColumn("acknowledged_how", "text")
    .addColumn("acknowledged_message_id", "integer")
    .addColumn("acknowledged_event_seq", "integer")
    .addColumn("done_at", "integer")
    .addColumn("done_message_id", "integer")
    .addPrimaryKeyConstraint("directive_people_key", ["directive_id", "person_id"])
    .execute();
  // What nudges and `pending` ask: who still owes an acknowledgement. Only unanswered rows are indexed.
  await db.schema.createIndex("directive_people_pending").on("directive_people").columns(["directive_id", "person_id"]).where(sql.ref("acknowledged_at"), "is", null).execute();
  await db.schema.createIndex("directive_people_by_chat").on("directive_people").column("chat_id").execute();
  await db.schema.createIndex("directive_people_by_answer").on("directive_people").column("acknowledged_message_id").execute();
  await db.schema.createIndex("directive_people_by_report").on("directive_people").column("done_message_id").execute();

  await db.schema
    .createTable("tracking")
    .addColumn("chat_id", "integer", (c) => c.primaryKey().references("chats.id"))
    .addColumn("through_seq", "integer", (c) => c.notNull())
    .addColumn("inputs", "text", (c) => c.notNull())
    .addColumn("tracked_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["tracking", "directive_people", "directives"]) await db.schema.dropTable(table).execute();
}
