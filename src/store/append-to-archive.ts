import { sql } from "kysely";
import type { MediaReference, MessageEventKind, MessageType, Person } from "../domain/message.js";
import { searchableText } from "../domain/search-text.js";
import type { Chat } from "./chats.js";
import { canonicalEvent, canonicalMessage, chainHash, type ChainHead, readChainHead } from "./hash-chain.js";
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
}

/**
 * Runs `work` in one immediate transaction that reads the chain's head and extends it: everything
 * `work` appends is stored with its hashes, or nothing is (a crash or an error leaves the archive as it was).
 */
export function appendToArchive<T>(archive: Archive, now: () => number, work: (chain: ChainWriter) => T): T {
  return archive.transaction(() => {
    const head: ChainHead = readChainHead(archive);
    const indexText = (seq: number, text: string) => {
      if (text.trim()) archive.run(sql`INSERT INTO messages_fts(rowid, text) VALUES (${seq}, ${searchableText(text)})`);
    };
    return work({
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
        const result = archive.run(
          archive.db
            .insertInto("messages")
            .values({ ...row, prev_hash: head.hash, hash })
            .onConflict((c) => c.doNothing()),
        );
        if (result.changes === 0) return null;
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
        const result = archive.run(
          archive.db
            .insertInto("message_events")
            .values({ ...row, prev_hash: head.hash, hash })
            .onConflict((c) => c.doNothing()),
        );
        if (result.changes === 0) return null;
        head.seq = row.seq;
        head.hash = hash;
        // An edit's new words are searchable too, and lead to the message they changed.
        if (e.kind === "edit") indexText(row.seq, row.body);
        return { id: result.lastInsertRowid, seq: row.seq };
      },
    });
  });
}
