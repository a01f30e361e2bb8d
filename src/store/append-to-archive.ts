import { sql } from "kysely";
import type { MediaReference, MessageEventKind, MessageType, Person } from "../domain/message.js";
import { searchableText } from "../domain/search-text.js";
import type { Chat } from "./chats.js";
import { canonicalEvent, canonicalMessage, chainHash, type ChainHead, type MessageEventRow, type MessageRow, readChainHead } from "./hash-chain.js";
import type { Archive } from "./open-archive.js";

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
  source: "live" | "import";
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
    // Every message and edit has its index entry, empty or not: the index must match its view row for row.
    const indexText = (seq: number, text: string) => statements.index.run({ seq, text: searchableText(text) });
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
        const hash = chainHash(head.hash, canonicalMessage(row, m.chat.key));
        const result = statements.message.run({ ...row, prev_hash: head.hash, hash });
        if (result.changes === 0) return skipped(archive, "messages", row);
        head.seq = row.seq;
        head.hash = hash;
        indexText(row.seq, row.body);
        return { id: result.lastInsertRowid, seq: row.seq };
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
        const hash = chainHash(head.hash, canonicalEvent(row, e.chat.key, e.message?.seq ?? null));
        const result = statements.event.run({ ...row, prev_hash: head.hash, hash });
        if (result.changes === 0) return skipped(archive, "message_events", row);
        head.seq = row.seq;
        head.hash = hash;
        // An edit's new words are searchable too, and lead to the message they changed.
        if (e.kind === "edit") indexText(row.seq, row.body);
        return { id: result.lastInsertRowid, seq: row.seq };
      },
    });
  });
}

/**
 * A row the insert left out must be one already archived under the same WhatsApp id or import key;
 * any other clash (a chain position taken twice) is a bug, and fails rather than losing the row.
 */
function skipped(archive: Archive, table: "messages" | "message_events", row: { whatsapp_id: string | null; import_key: string | null }): null {
  const twin = (column: "whatsapp_id" | "import_key", value: string | null) =>
    value !== null && archive.get(archive.db.selectFrom(table).select("id").where(column, "=", value)) !== undefined;
  if (twin("whatsapp_id", row.whatsapp_id) || twin("import_key", row.import_key)) return null;
  throw new Error(`${table}: a row was refused at chain position that is already taken`);
}

type MessageInsert = Omit<MessageRow, "id">;
type EventInsert = Omit<MessageEventRow, "id">;

const MESSAGE_COLUMNS: Array<keyof MessageInsert> = [
  "seq", "chat_id", "whatsapp_id", "import_key", "source", "import_id", "sender_id", "sender_whatsapp_id", "sender_phone",
  "sender_name", "at", "archived_at", "body", "type", "quoted_whatsapp_id", "mentions", "forwarded", "edited",
  "media_sha256", "media_mimetype", "media_size", "media_file_name", "prev_hash", "hash",
];
const EVENT_COLUMNS: Array<keyof EventInsert> = [
  "seq", "chat_id", "message_id", "kind", "whatsapp_id", "import_key", "source", "import_id", "actor_id",
  "actor_whatsapp_id", "actor_phone", "actor_name", "at", "archived_at", "body", "data", "prev_hash", "hash",
];

const prepared = new WeakMap<Archive, ReturnType<typeof prepareStatements>>();

/** The three inserts every archived row needs, built once per archive. */
function statementsOf(archive: Archive) {
  let statements = prepared.get(archive);
  if (!statements) {
    statements = prepareStatements(archive);
    prepared.set(archive, statements);
  }
  return statements;
}

function prepareStatements(archive: Archive) {
  return {
    // A row whose WhatsApp id or import key is already archived is not added again (see skipped()).
    message: archive.prepare<MessageInsert, never>((param) =>
      archive.db
        .insertInto("messages")
        .values(Object.fromEntries(MESSAGE_COLUMNS.map((column) => [column, param(column)])) as MessageInsert)
        .onConflict((c) => c.doNothing()),
    ),
    event: archive.prepare<EventInsert, never>((param) =>
      archive.db
        .insertInto("message_events")
        .values(Object.fromEntries(EVENT_COLUMNS.map((column) => [column, param(column)])) as EventInsert)
        .onConflict((c) => c.doNothing()),
    ),
    index: archive.prepare<{ seq: number; text: string }, never>(
      (param) => sql`INSERT INTO messages_fts(rowid, text) VALUES (${param("seq")}, ${param("text")})`,
    ),
  };
}
