import type { Person } from "../domain/message.js";
import { appendToArchive } from "./append-to-archive.js";
import { type Chat, directChat } from "./chats.js";
import type { Archive } from "./open-archive.js";


export interface AuditEntry {
  /** The group the request was made in; null for a direct message to the bot. */
  chat: Chat | null;
  /** The archived message that made the request, when there is one. */
  message: { id: number; seq: number } | null;
  /** Who asked; null for a number the archive does not know (nothing is stored about them but this entry). */
  by: Person | null;
  byName: string;
  /** What was asked: search, export, pending, directive, not-directive… */
  action: string;
  allowed: boolean;
  /** The filters or words given. */
  filters: Record<string, unknown>;
  /** How many rows the answer held. */
  rows: number;
  via: "whatsapp" | "cli";
}

/**
 * Records who asked the archive for what, when, and whether it was allowed, as an `audit` event in the
 * hash chain: a record keeper's searches and exports are themselves on record, and cannot be taken back.
 */
export function recordAudit(archive: Archive, now: () => number, entry: AuditEntry): void {
  archive.transaction(() => {
    const chat = entry.chat ?? directChat(archive, now());
    appendToArchive(archive, now, (chain) =>
      chain.event({
        chat,
        message: entry.message,
        kind: "audit",
        whatsappId: null,
        importKey: null,
        source: entry.via === "cli" ? "cli" : "live",
        importId: null,
        actor: entry.by,
        actorName: entry.byName,
        at: now(),
        body: entry.action,
        data: { action: entry.action, allowed: entry.allowed, filters: entry.filters, rows: entry.rows },
      }),
    );
  });
}
