import type { Kysely } from "kysely";

/**
 * The live bot's lookups. `message_aliases` ties a WhatsApp message id to a message an export archived
 * first (an export carries no ids), so that the live copy is not archived twice and later edits,
 * deletions, reactions and replies find it. Not chained: it is a lookup, not evidence.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("message_aliases")
    .addColumn("whatsapp_id", "text", (c) => c.primaryKey())
    .addColumn("message_id", "integer", (c) => c.notNull().unique().references("messages.id"))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("message_aliases").execute();
}
