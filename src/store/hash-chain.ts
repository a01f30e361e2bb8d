import { hash } from "node:crypto";
import { type Archive, oncePerArchive } from "./open-archive.js";
import type { MessageEventTable, MessageTable } from "./schema.js";

/** The hash before the first row of a chain. */
export const GENESIS_HASH = "0".repeat(64);

type Stored<T> = { [K in keyof T]: T[K] extends import("kysely").Generated<infer V> ? V : T[K] };
export type MessageRow = Stored<MessageTable>;
export type MessageEventRow = Stored<MessageEventTable>;
type Unchained<T> = Omit<T, "id" | "prev_hash" | "hash">;

/**
 * The canonical content of a message: every field that is evidence, in a fixed order, with the chat's
 * permanent key rather than its internal id. Changing any of them changes the row's hash.
 */
export function canonicalMessage(row: Unchained<MessageRow>, chatKey: string): string {
  return JSON.stringify([
    "message",
    row.seq,
    chatKey,
    row.whatsapp_id,
    row.import_key,
    row.source,
    row.import_id,
    row.sender_id,
    row.sender_whatsapp_id,
    row.sender_phone,
    row.sender_name,
    row.at,
    row.archived_at,
    row.body,
    row.type,
    row.quoted_whatsapp_id,
    row.mentions,
    row.forwarded,
    row.edited,
    row.media_sha256,
    row.media_mimetype,
    row.media_size,
    row.media_file_name,
  ]);
}

/** The canonical content of an event; it names its message by that message's chain position. */
export function canonicalEvent(row: Unchained<MessageEventRow>, chatKey: string, messageSeq: number | null): string {
  return JSON.stringify([
    "event",
    row.seq,
    chatKey,
    messageSeq,
    row.kind,
    row.whatsapp_id,
    row.import_key,
    row.source,
    row.import_id,
    row.actor_id,
    row.actor_whatsapp_id,
    row.actor_phone,
    row.actor_name,
    row.at,
    row.archived_at,
    row.body,
    row.data,
  ]);
}

/** What an import's chained event records about it; verify compares the import record with it. */
export function importEventData(record: { id: number; file_name: string; file_sha256: string; date_order: string; time_zone: string }) {
  return {
    importId: record.id,
    fileName: record.file_name,
    fileSha256: record.file_sha256,
    dateOrder: record.date_order,
    timeZone: record.time_zone,
  };
}

/** SHA-256 over the previous row's hash and this row's canonical content. */
export function chainHash(previousHash: string, canonical: string): string {
  // The one-shot hash: a row's hash is taken for every message archived, and this costs half of createHash's.
  return hash("sha256", `${previousHash}\n${canonical}`);
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The last row of the chain; read inside the transaction that extends it. */
export function readChainHead(archive: Archive): ChainHead {
  const last = lastRowsOf(archive);
  const head = [last.message.get({}), last.event.get({})].filter((row) => row !== undefined).sort((a, b) => b.seq - a.seq)[0];
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

/** Read for every row the live bot archives: the queries are built once per archive. */
const lastRowsOf = oncePerArchive((archive) => {
  const newest = (table: "messages" | "message_events") =>
    archive.prepare<Record<string, never>, ChainHead>(() => archive.db.selectFrom(table).select(["seq", "hash"]).orderBy("seq", "desc").limit(1));
  return { message: newest("messages"), event: newest("message_events") };
});

/** A message's link in the chain, with the content it hashes: what lets a copy of the row be checked without the archive. */
export interface MessageChainRow {
  id: number;
  seq: number;
  prevHash: string;
  hash: string;
  canonical: string;
}

/** The chain links of these messages, in the order of `ids`. */
export function messageChainRows(archive: Archive, ids: number[]): MessageChainRow[] {
  if (ids.length === 0) return [];
  const rows = archive.all(
    archive.db
      .selectFrom("messages as m")
      .innerJoin("chats as c", "c.id", "m.chat_id")
      .selectAll("m")
      .select("c.key as chat_key")
      .where("m.id", "in", ids),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id)!;
    return { id, seq: row.seq, prevHash: row.prev_hash, hash: row.hash, canonical: canonicalMessage(row, row.chat_key) };
  });
}

/** Where canonicalMessage puts the fields a reader of an export sees, to check an exported message against its link. */
export const CANONICAL_MESSAGE_FIELDS = { seq: 1, senderName: 10, at: 11, body: 13, type: 14, mediaSha256: 19 } as const;
