import type { Person } from "../domain/message.js";
import { appendToArchive } from "./append-to-archive.js";
import { type Chat, isOwnChat, ownChat } from "./chats.js";
import type { Archive } from "./open-archive.js";

export interface AuditEntry {
  /** The group the request was made in; null for a direct message to the bot or a command line. */
  chat: Chat | null;
  /** The archived message that made the request, when there is one. */
  message: { id: number; seq: number } | null;
  /**
   * Who asked; null for a number the archive does not know (nothing is stored about them but this entry),
   * and for the command line, where `byName` is the operating system's account.
   */
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
    const chat = entry.chat ?? ownChat(archive, entry.via === "cli" ? "commandLine" : "direct", now());
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

/** An audit entry as `nirdesh audit` lists it. */
export interface AuditView {
  seq: number;
  at: number;
  via: "whatsapp" | "cli";
  by: string | null;
  phone: string | null;
  /** The group the request was made in; null for a direct message or the command line. */
  chat: string | null;
  action: string;
  allowed: boolean;
  filters: Record<string, unknown>;
  rows: number;
}

/** Audit entries, newest first. */
export function auditEntries(archive: Archive, filters: { since?: number; until?: number; limit: number }): AuditView[] {
  let select = archive.db
    .selectFrom("message_events as e")
    .innerJoin("chats as c", "c.id", "e.chat_id")
    .select(["e.seq", "e.at", "e.source", "e.actor_name", "e.actor_phone", "e.data", "c.key", "c.name"])
    .where("e.kind", "=", "audit");
  if (filters.since !== undefined) select = select.where("e.at", ">=", filters.since);
  if (filters.until !== undefined) select = select.where("e.at", "<=", filters.until);
  const rows = archive.all(select.orderBy("e.seq", "desc").limit(filters.limit));
  return rows.map((row) => {
    const data = JSON.parse(row.data) as { action: string; allowed: boolean; filters?: Record<string, unknown>; rows?: number };
    return {
      seq: row.seq,
      at: row.at,
      via: row.source === "cli" ? "cli" : "whatsapp",
      by: row.actor_name,
      phone: row.actor_phone,
      chat: isOwnChat(row.key) ? null : row.name,
      action: data.action,
      allowed: data.allowed,
      filters: data.filters ?? {},
      rows: data.rows ?? 0,
    };
  });
}
