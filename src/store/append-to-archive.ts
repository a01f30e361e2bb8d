import { sql } from "kysely";
import type { MediaReference, MessageEventKind, MessageType, Person } from "../domain/message.js";
import { searchableText } from "../domain/search-text.js";
import type { Chat } from "./chats.js";
import { canonicalEvent, canonicalMessage, chainHash, type ChainHead, type MessageEventRow, type MessageRow, readChainHead } from "./hash-chain.js";
import { type Archive, oncePerArchive, type Prepared, prepareInsert } from "./open-archive.js";
import { searchKey } from "./search-key.js";

export interface MessageToArchive {
  chat: Chat;
  whatsappId: string | null;
  importKey: string | null;
  source: "live" | "import";
  importId: number | null;
  sender: Person;
  /** The sender's name as this message showed it. */
  senderName: string;
  at: number;
  body: string;
  type: MessageType;
  quotedWhatsappId: string | null;
  mentions: Array<{ name: string; phone: string | null }>;
  forwarded: boolean;
  edited: boolean;
  media: MediaReference | null;
}

export interface EventToArchive {
  chat: Chat;
  message: { id: number; seq: number } | null;
  kind: MessageEventKind;
  whatsappId: string | null;
  importKey: string | null;
  /** A correction typed at the command line comes from neither WhatsApp nor an export. */
  source: "live" | "import" | "cli";
  importId: number | null;
  actor: Person | null;
  actorName: string | null;
  at: number;
  body: string;
  data: Record<string, unknown>;
}

export interface ArchivedRow {
  id: number;
  seq: number;
}

/** Appends rows to the end of the hash chain; only exists inside appendToArchive's transaction. */
export interface ChainWriter {
  /** Archives a message, or returns null when one with the same WhatsApp id or import key is there. */
  message(message: MessageToArchive): ArchivedRow | null;
  /** Archives an event, or returns null when one with the same WhatsApp id or import key is there. */
  event(event: EventToArchive): ArchivedRow | null;
  /** The chain's last row so far. */
  head(): ChainHead;
}

/**
 * Runs `work` in one immediate transaction that reads the chain's head and extends it: everything
 * `work` appends is stored with its hashes, or nothing is (a crash or an error leaves the archive as it was).
 */
export function appendToArchive<T>(archive: Archive, now: () => number, work: (chain: ChainWriter) => T): T {
  const statements = statementsOf(archive);
  return archive.transaction(() => {
    const head: ChainHead = readChainHead(archive);
    /**
     * Puts a row at the chain's next position. Every message and edit has its index entry, empty or
     * not (`indexed`): the index must match its view row for row.
     */
    const append = (table: Table, row: UnchainedRow, canonical: string, indexed: { at: number; text: string } | null): ArchivedRow | null => {
      const hash = chainHash(head.hash, canonical);
      // Assigned, not spread into a new object: copying a row of two dozen columns cost more than hashing it.
      const result = statements.insert(table, row).run(Object.assign(row, { prev_hash: head.hash, hash }));
      if (result.changes === 0) return skipped(archive, table, row);
      head.seq = row.seq;
      head.hash = hash;
      if (indexed !== null) statements.index.run({ key: searchKey(indexed.at, row.seq), text: searchableText(indexed.text) });
      return { id: result.lastInsertRowid, seq: row.seq };
    };
    return work({
      head: () => ({ ...head }),
      message(m) {
        const row = {
          seq: head.seq + 1,
          chat_id: m.chat.id,
          whatsapp_id: m.whatsappId,
          import_key: m.importKey,
          source: m.source,
          import_id: m.importId,
          sender_id: m.sender.id,
          sender_whatsapp_id: m.sender.whatsappId,
          sender_phone: m.sender.phone,
          sender_name: m.senderName,
          at: m.at,
          archived_at: now(),
          body: m.body,
          type: m.type,
          quoted_whatsapp_id: m.quotedWhatsappId,
          mentions: JSON.stringify(m.mentions),
          forwarded: m.forwarded ? 1 : 0,
          edited: m.edited ? 1 : 0,
          media_sha256: m.media?.sha256 ?? null,
          media_mimetype: m.media?.mimetype ?? null,
          media_size: m.media?.size ?? null,
          media_file_name: m.media?.fileName ?? null,
        };
        return append("messages", row, canonicalMessage(row, m.chat.key), { at: row.at, text: row.body });
      },
      event(e) {
        const row = {
          seq: head.seq + 1,
          chat_id: e.chat.id,
          message_id: e.message?.id ?? null,
          kind: e.kind,
          whatsapp_id: e.whatsappId,
          import_key: e.importKey,
          source: e.source,
          import_id: e.importId,
          actor_id: e.actor?.id ?? null,
          actor_whatsapp_id: e.actor?.whatsappId ?? null,
          actor_phone: e.actor?.phone ?? null,
          actor_name: e.actorName,
          at: e.at,
          archived_at: now(),
          body: e.body,
          data: JSON.stringify(e.data),
        };
        // An edit's new words are searchable too, and lead to the message they changed, at its time.
        const indexed = e.kind === "edit" ? { at: (e.message && statements.sentAt.get({ id: e.message.id })?.at) ?? row.at, text: row.body } : null;
        return append("message_events", row, canonicalEvent(row, e.chat.key, e.message?.seq ?? null), indexed);
      },
    });
  });
}

type Table = "messages" | "message_events";
type UnchainedRow = Omit<MessageRow, "id" | "prev_hash" | "hash"> | Omit<MessageEventRow, "id" | "prev_hash" | "hash">;

/**
 * A row the insert left out must be one already archived under the same WhatsApp id or import key;
 * any other clash (a chain position taken twice) is a bug, and fails rather than losing the row.
 */
function skipped(archive: Archive, table: Table, row: { whatsapp_id: string | null; import_key: string | null }): null {
  const twin = (column: "whatsapp_id" | "import_key", value: string | null) =>
    value !== null && archive.get(archive.db.selectFrom(table).select("id").where(column, "=", value)) !== undefined;
  if (twin("whatsapp_id", row.whatsapp_id) || twin("import_key", row.import_key)) return null;
  throw new Error(`${table}: a row was refused at chain position that is already taken`);
}

/** The inserts every archived row needs, built once per archive. */
const statementsOf = oncePerArchive((archive) => {
  const inserts = new Map<Table, Prepared<Record<string, unknown>, never>>();
  return {
    /**
     * The insert of a table's rows, with the columns of the first row given (every row of a table is
     * built by the same object literal, so it is found by table, without listing a row's columns for every
     * row archived). A row whose WhatsApp id or import key is already archived is not added again (see skipped()).
     */
    insert(table: Table, row: UnchainedRow): Prepared<Record<string, unknown>, never> {
      let insert = inserts.get(table);
      if (!insert) {
        insert = prepareInsert(archive, table, [...Object.keys(row), "prev_hash", "hash"], "ignore");
        inserts.set(table, insert);
      }
      return insert;
    },
    index: archive.prepare<{ key: number; text: string }, never>(
      (param) => sql`INSERT INTO messages_fts(rowid, text) VALUES (${param("key")}, ${param("text")})`,
    ),
    sentAt: archive.prepare<{ id: number }, { at: number }>((param) => archive.db.selectFrom("messages").select("at").where("id", "=", param("id"))),
  };
});
