import { sql } from "kysely";
import type { FollowUpDirective, FollowUpKind } from "../domain/nudge-policy.js";
import type { Role } from "../domain/message.js";
import { appendToArchive } from "./append-to-archive.js";
import type { Chat } from "./chats.js";
import { lastEdit } from "./message-views.js";
import type { Archive } from "./open-archive.js";
import type { OutboxTable, OutgoingKind } from "./schema.js";

/** Someone the bot writes to or about. */
export interface Addressee {
  id: number;
  name: string;
  phone: string | null;
  whatsappId: string | null;
  designation: string | null;
}

export interface FollowUpSubject extends Omit<FollowUpDirective, "asksForReport"> {
  directiveId: number;
  chat: Chat & { whatsappId: string | null };
  /** The directive's WhatsApp id, which a nudge quotes. */
  whatsappId: string | null;
  /** The directive's place in the chain, which an `outgoing` event about it points at. */
  seq: number;
  issuer: Addressee;
  /** The words after the last edit. */
  body: string;
  people: Map<number, Addressee>;
  /** Something written for it still waits to be sent. */
  waiting: boolean;
}

/** Follow-ups last at most this long; an older directive is not started on. */
const LONGEST_FOLLOW_UP_MS = 30 * 86_400_000;

/**
 * The chats tracking worked out again since a moment (only they can have changed) are followed up anew:
 * their directives not followed up yet are started on, when given since the bot began watching the
 * group, and their open follow-ups are looked at now, since a correction (!জরুরি makes the next nudge
 * sooner) or an answer may change what is due and when. Imported history, and what a first catch-up
 * finds from before the bot joined, belong to the past and are never nudged; a directive given while
 * the bot was down over a weekend is followed up when it is back. Returns how many were started.
 */
export function followUpRetrackedChats(archive: Archive, since: number, now: number, watchingSince: (chatId: number) => number | null): number {
  let started = 0;
  for (const { chat_id: chatId } of archive.all(archive.db.selectFrom("tracking").select("chat_id").where("tracked_at", ">=", since))) {
    const watching = watchingSince(chatId);
    if (watching !== null) {
      const { changes } = archive.run(sql`INSERT INTO follow_ups (directive_id, chat_id, due_at, started_at)
        SELECT d.message_id, d.chat_id, ${now}, ${now} FROM directives d CROSS JOIN messages m ON m.id = d.message_id
        WHERE d.chat_id = ${chatId} AND d.directive = 1 AND d.at >= ${Math.max(now - LONGEST_FOLLOW_UP_MS, watching)}
          AND m.source = 'live' AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.directive_id = d.message_id)`);
      started += changes;
    }
    archive.run(archive.db.updateTable("follow_ups").set({ due_at: now }).where("chat_id", "=", chatId).where("due_at", "is not", null).where("due_at", ">", now));
  }
  return started;
}

/** When the bot began watching a group: its first record of who was in it, made at its first connect. */
export function watchedSince(archive: Archive, chatId: number): number | null {
  return (
    archive.get(
      archive.db
        .selectFrom("message_events")
        .select((eb) => eb.fn.min("at").as("at"))
        .where("chat_id", "=", chatId)
        .where("kind", "=", "system")
        .where("source", "=", "live"),
    )?.at ?? null
  );
}

/** The followed-up directives whose next look is due, the most overdue first (read from the due index only). */
export function dueFollowUps(archive: Archive, now: number, limit: number): number[] {
  return archive
    .all(archive.db.selectFrom("follow_ups").select("directive_id").where("due_at", "is not", null).where("due_at", "<=", now).orderBy("due_at").limit(limit))
    .map((row) => row.directive_id);
}

/** The earliest next look of any followed-up directive (for a clock that jumps, as `simulate`'s does). */
export function nextFollowUpDue(archive: Archive): number | null {
  return archive.get(archive.db.selectFrom("follow_ups").select((eb) => eb.fn.min("due_at").as("due")).where("due_at", "is not", null))?.due ?? null;
}

export function setFollowUpDue(archive: Archive, directiveId: number, dueAt: number | null): void {
  archive.run(archive.db.updateTable("follow_ups").set({ due_at: dueAt }).where("directive_id", "=", directiveId));
}

/**
 * Everything the follow-up of one directive depends on now: who owes what, who is still in the group,
 * and what was already written for it. Null when tracking no longer calls the message a directive.
 */
export function followUpSubject(archive: Archive, directiveId: number): FollowUpSubject | null {
  const row = archive.get(
    archive.db
      .selectFrom("directives as d")
      .innerJoin("messages as m", "m.id", "d.message_id")
      .innerJoin("chats as c", "c.id", "d.chat_id")
      .where("d.message_id", "=", directiveId)
      .where("d.directive", "=", 1)
      .select(["d.chat_id", "d.issuer_id", "d.at", "d.urgent", "d.deadline", "d.deadline_all_day", "m.whatsapp_id", "m.seq", "m.body", "c.key", "c.name", "c.whatsapp_id as chat_whatsapp_id"])
      .select((eb) => lastEdit(eb).as("edited_body")),
  );
  if (!row) return null;
  const answers = archive.all(
    archive.db
      .selectFrom("directive_people")
      .select(["person_id", "acknowledged_at", "done_at"])
      .where("directive_id", "=", directiveId)
      .orderBy("person_id"),
  );
  const people = addressees(archive, [row.issuer_id, ...answers.map((answer) => answer.person_id)]);
  const inGroup = stillInGroup(archive, row.chat_id, row.at, answers.map((answer) => answer.person_id));
  const body = row.edited_body ?? row.body;
  const written = archive.all(
    archive.db.selectFrom("outbox").select(["kind", "status", "written_at", "sent_at", "people"]).where("directive_id", "=", directiveId).orderBy("id"),
  );
  return {
    directiveId,
    chat: { id: row.chat_id, key: row.key, name: row.name, whatsappId: row.chat_whatsapp_id },
    whatsappId: row.whatsapp_id,
    seq: row.seq,
    issuer: people.get(row.issuer_id)!,
    body,
    people,
    at: row.at,
    urgent: row.urgent === 1,
    deadline: row.deadline,
    deadlineAllDay: row.deadline_all_day === 1,
    officers: answers.map((answer) => {
      const roles = people.get(answer.person_id)!.roles;
      return {
        personId: answer.person_id,
        acknowledgedAt: answer.acknowledged_at,
        doneAt: answer.done_at,
        inGroup: inGroup.has(answer.person_id),
        // An ADC is a superior to UNOs and an officer to the DC: the roster's "officer" says they owe answers.
        exempt: (roles.includes("superior") || roles.includes("recordkeeper")) && !roles.includes("officer"),
      };
    }),
    sent: written
      .filter((item) => item.kind !== "digest" && item.status !== "skipped")
      // The next nudge is an interval after the last one went out, not after it was written (a nudge held
      // overnight went at 09:00: the next is at 11:00).
      .map((item) => ({ kind: item.kind as FollowUpKind, at: item.sent_at ?? item.written_at, to: JSON.parse(item.people) as number[] })),
    waiting: written.some((item) => item.status === "written"),
  };
}

function addressees(archive: Archive, ids: number[]): Map<number, Addressee & { roles: Role[] }> {
  const rows = archive.all(
    archive.db.selectFrom("people").select(["id", "name", "phone", "whatsapp_id", "designation", "roles"]).where("id", "in", ids.length > 0 ? ids : [-1]),
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, name: row.name, phone: row.phone, whatsappId: row.whatsapp_id, designation: row.designation, roles: row.roles ? (row.roles.split(";") as Role[]) : [] },
    ]),
  );
}

/**
 * Which of these people are still in the group: the joins, departures and member lists the bot
 * recorded since the directive (a handful of rows, read by the chat's time index) decide.
 */
function stillInGroup(archive: Archive, chatId: number, since: number, personIds: number[]): Set<number> {
  const inGroup = new Set(personIds);
  const rows = archive.all(
    archive.db
      .selectFrom("message_events")
      .select("data")
      .where("chat_id", "=", chatId)
      .where("at", ">=", since)
      .where("kind", "=", "system")
      .orderBy("seq"),
  );
  for (const row of rows) {
    const data = JSON.parse(row.data) as { action?: string; joined?: number[]; left?: number[]; members?: number[] };
    for (const id of data.joined ?? []) inGroup.add(id);
    for (const id of data.left ?? []) inGroup.delete(id);
    if (data.action === "participants" && data.members) {
      const members = new Set(data.members);
      for (const id of personIds) members.has(id) ? inGroup.add(id) : inGroup.delete(id);
    }
  }
  return inGroup;
}

export interface OutgoingToWrite {
  kind: OutgoingKind;
  chat: Chat;
  directive: { id: number; seq: number } | null;
  sendTo: string;
  people: number[];
  text: string;
  quotedWhatsappId: string | null;
  mentions: string[];
  urgent: boolean;
  digestDay: string | null;
}

/**
 * Writes a message the bot is about to send: an outbox row that waits until WhatsApp takes it, and an
 * `outgoing` event in the hash chain that records what was said to whom — both before anything is sent.
 */
export function writeOutgoing(archive: Archive, now: () => number, item: OutgoingToWrite): number {
  return archive.transaction(() => {
    const { lastInsertRowid: id } = archive.run(
      archive.db.insertInto("outbox").values({
        kind: item.kind,
        chat_id: item.chat.id,
        directive_id: item.directive?.id ?? null,
        send_to: item.sendTo,
        people: JSON.stringify(item.people),
        text: item.text,
        quoted_whatsapp_id: item.quotedWhatsappId,
        mentions: JSON.stringify(item.mentions),
        urgent: item.urgent ? 1 : 0,
        digest_day: item.digestDay,
        written_at: now(),
        written_seq: 0,
        status: "written",
        attempts: 0,
      }),
    );
    const event = appendToArchive(archive, now, (chain) =>
      chain.event({
        chat: item.chat,
        message: item.directive,
        kind: "outgoing",
        whatsappId: null,
        importKey: null,
        source: "live",
        importId: null,
        actor: null,
        actorName: null,
        at: now(),
        body: item.text,
        data: { outbox: id, kind: item.kind, to: item.people, sendTo: item.sendTo },
      }),
    );
    archive.run(archive.db.updateTable("outbox").set({ written_seq: event!.seq }).where("id", "=", id));
    return id;
  });
}

export type OutboxRow = Omit<OutboxTable, "id"> & { id: number };

/** What was written but not yet taken by WhatsApp, oldest first. */
export function waitingOutgoing(archive: Archive): OutboxRow[] {
  return archive.all(archive.db.selectFrom("outbox").selectAll().where("status", "=", "written").orderBy("id")) as OutboxRow[];
}

export function markOutgoing(
  archive: Archive,
  id: number,
  update: { status: OutboxRow["status"]; attempts?: number; sentAt?: number; whatsappId?: string; error?: string },
): void {
  archive.run(
    archive.db
      .updateTable("outbox")
      .set({
        status: update.status,
        ...(update.attempts !== undefined ? { attempts: update.attempts } : {}),
        ...(update.sentAt !== undefined ? { sent_at: update.sentAt } : {}),
        ...(update.whatsappId !== undefined ? { sent_whatsapp_id: update.whatsappId } : {}),
        ...(update.error !== undefined ? { last_error: update.error } : {}),
      })
      .where("id", "=", id),
  );
}

/** A message the bot's own account sent to a chat since a moment with exactly these words, if it was archived. */
export function archivedOwnMessage(archive: Archive, chatWhatsappId: string, account: string, since: number, text: string): SentEarlier | null {
  const row = archive.get(
    archive.db
      .selectFrom("messages as m")
      .innerJoin("chats as c", "c.id", "m.chat_id")
      .select(["m.whatsapp_id", "m.at"])
      .where("c.whatsapp_id", "=", chatWhatsappId)
      .where("m.sender_whatsapp_id", "=", account)
      .where("m.at", ">=", since - 60_000)
      .where("m.body", "=", text)
      .limit(1),
  );
  return row?.whatsapp_id ? { whatsappId: row.whatsapp_id, at: row.at } : null;
}

/** A message WhatsApp shows the bot sent: its id, and when it went. */
export interface SentEarlier {
  whatsappId: string;
  at: number;
}

/** The local day the last digest was written for, if any. */
export function lastDigestDay(archive: Archive): string | null {
  return archive.get(archive.db.selectFrom("outbox").select((eb) => eb.fn.max("digest_day").as("day")).where("digest_day", "is not", null))?.day ?? null;
}

/**
 * Followed-up directives given since a moment that someone still owes, by issuer: what each issuer's
 * digest lists: only the bot's own (live, followed-up) directives, read by the directives' time index.
 */
export function owedByIssuer(archive: Archive, since: number): Map<number, number[]> {
  const rows = archive.all(
    archive.db
      .selectFrom("directives as d")
      .select(["d.issuer_id", "d.message_id"])
      .where("d.directive", "=", 1)
      .where("d.at", ">=", since)
      .where((eb) => eb.exists(eb.selectFrom("follow_ups as f").select("f.directive_id").whereRef("f.directive_id", "=", "d.message_id")))
      .where((eb) => eb.exists(eb.selectFrom("directive_people as o").select("o.person_id").whereRef("o.directive_id", "=", "d.message_id").where("o.acknowledged_at", "is", null)))
      .orderBy("d.at"),
  );
  const byIssuer = new Map<number, number[]>();
  for (const row of rows) byIssuer.set(row.issuer_id, [...(byIssuer.get(row.issuer_id) ?? []), row.message_id]);
  return byIssuer;
}
