import { createHash } from "node:crypto";
import { sql } from "kysely";
import { systemParticipants } from "../chat-export/markers.js";
import type { Role } from "../domain/message.js";
import { phoneWrittenAs } from "../domain/phone.js";
import { type ChatMember, type ChatTimeline, type DirectiveTracker, type LaterEntries, startTracking, type TimelineEvent, type TimelineMessage, type TrackedDirective } from "../domain/track-directives.js";
import type { Lexicons } from "../lexicons.js";
import { type MessageRow, readChainHead } from "./hash-chain.js";
import { type Archive, oncePerArchive, prepareInsert } from "./open-archive.js";
import type { DirectivePersonTable, DirectiveTable } from "./schema.js";
import { findPersonByName } from "./people.js";

export interface TrackingInputs {
  lexicons: Lexicons;
  timeZone: string;
}

/**
 * What a long-running process (the live bot, simulate) keeps of each chat it tracked, so that the next
 * few messages of a group are read on top of it instead of working the whole chat out again.
 */
export type TrackingMemory = Map<number, KeptChat>;

interface KeptChat {
  tracker: DirectiveTracker;
  throughSeq: number;
  fingerprint: string;
}

/**
 * Works out every chat's directives and acknowledgements again where anything they depend on changed:
 * new rows in the chat, the roster, the lexicons or the time zone. Returns how many chats it tracked.
 * The bot and every command that writes call it after writing; it costs nothing when all is current.
 * With `memory`, a chat that only grew by messages and reactions is read from where it was left.
 */
export function bringTrackingUpToDate(archive: Archive, inputs: TrackingInputs, now: () => number, memory?: TrackingMemory): number {
  const fingerprint = inputsFingerprint(archive, inputs);
  const { stale, head } = chatsStaleFor(archive, fingerprint);
  for (const chatId of stale) track(archive, chatId, inputs, fingerprint, now, memory);
  lookedThrough(archive).seq = head;
  return stale.length;
}

/** Chats whose directives were worked out from older rows or other inputs than these. */
export function staleChats(archive: Archive, inputs: TrackingInputs): number[] {
  return chatsStaleFor(archive, inputsFingerprint(archive, inputs)).stale;
}

/**
 * Per open archive, the chain position up to which every chat was last found current: the next look
 * reads only the rows after it. The bot asks before every nudge it sends, in a district archiving
 * hundreds of messages a second; asking each chat for its rows after its own position cost half the bot's time.
 */
const lookedThrough = oncePerArchive(() => ({ seq: 0 }));

function chatsStaleFor(archive: Archive, fingerprint: string): { stale: number[]; head: number } {
  const head = readChainHead(archive).seq;
  const chats = archive.all(
    archive.db
      .selectFrom("chats as c")
      .leftJoin("tracking as t", "t.chat_id", "c.id")
      .select(["c.id", "t.through_seq", "t.inputs"])
      .select(sql<number>`t.chat_id IS NULL AND EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id)`.as("never_tracked")),
  );
  const tracked = chats.flatMap((chat) => (chat.through_seq === null ? [] : [chat.through_seq]));
  const from = Math.max(lookedThrough(archive).seq, Math.min(head, ...tracked));
  // Each chat's newest row after that position, by the position index: a look at what is new, not a walk
  // through the chats. (`+chat_id`: grouping by the bare column, SQLite would walk a chat index whole.)
  const newest = new Map<number, number>();
  for (const row of archive.all<{ chat_id: number; seq: number }>(
    sql`SELECT chat_id, max(seq) AS seq FROM messages WHERE seq > ${from} GROUP BY +chat_id
        UNION ALL
        SELECT chat_id, max(seq) AS seq FROM message_events WHERE seq > ${from} AND kind NOT IN (${sql.join(UNTRACKED_EVENTS)}) GROUP BY +chat_id`,
  )) {
    newest.set(row.chat_id, Math.max(newest.get(row.chat_id) ?? 0, row.seq));
  }
  const stale = chats
    .filter((chat) =>
      chat.through_seq === null ? Boolean(chat.never_tracked) : chat.inputs !== fingerprint || (newest.get(chat.id) ?? 0) > chat.through_seq,
    )
    .map((chat) => chat.id);
  return { stale, head };
}

/** An audit entry (a search, an export) or the bot's own follow-up changes no directive. */
const UNTRACKED_EVENTS = ["audit", "outgoing"];

/** Replaces one chat's tracking with what its archived rows say now, in one transaction. */
export function trackChat(archive: Archive, chatId: number, inputs: TrackingInputs, now: () => number): void {
  track(archive, chatId, inputs, inputsFingerprint(archive, inputs), now);
}

function track(archive: Archive, chatId: number, inputs: TrackingInputs, fingerprint: string, now: () => number, memory?: TrackingMemory): void {
  try {
    archive.transaction(() => {
      const throughSeq = readChainHead(archive).seq;
      const kept = memory?.get(chatId);
      const later = kept?.fingerprint === fingerprint ? laterEntriesOf(archive, chatId, kept.throughSeq) : null;
      const changed = later && kept!.tracker.readLater(later);
      if (kept && changed) {
        const changedIds = [...changed].map((item) => item.messageId);
        for (let i = 0; i < changedIds.length; i += 500) {
          const ids = changedIds.slice(i, i + 500);
          archive.run(archive.db.deleteFrom("directive_people").where("directive_id", "in", ids));
          archive.run(archive.db.deleteFrom("directives").where("message_id", "in", ids));
        }
        storeTracked(archive, chatId, [...changed]);
        keep(memory!, chatId, { ...kept, throughSeq });
      } else {
        const tracker = startTracking(timelineOf(archive, chatId), {
          directiveLexicon: inputs.lexicons.directive,
          acknowledgementLexicon: inputs.lexicons.acknowledgement,
          timeZone: inputs.timeZone,
        });
        archive.run(archive.db.deleteFrom("directive_people").where("chat_id", "=", chatId));
        archive.run(archive.db.deleteFrom("directives").where("chat_id", "=", chatId));
        storeTracked(archive, chatId, tracker.tracked);
        if (memory) keep(memory, chatId, { tracker, throughSeq, fingerprint });
      }
      // The chain's head: whatever comes after it in this chat is news to tracking.
      const values = { chat_id: chatId, through_seq: throughSeq, inputs: fingerprint, tracked_at: now() };
      archive.run(archive.db.insertInto("tracking").values(values).onConflict((c) => c.column("chat_id").doUpdateSet(values)));
    });
  } catch (error) {
    // What the tracker read is no longer what the archive holds: the chat is worked out again next time.
    memory?.delete(chatId);
    throw error;
  }
}

/**
 * Directives kept in memory over all chats: beyond it the chats tracked least recently are let go, and
 * worked out in full when they next change. A bot of many busy groups stays within about 50 MB.
 */
const TRACKED_IN_MEMORY = 20_000;

function keep(memory: TrackingMemory, chatId: number, kept: KeptChat): void {
  memory.delete(chatId);
  memory.set(chatId, kept);
  let total = 0;
  for (const other of memory.values()) total += other.tracker.tracked.length;
  for (const [id, other] of memory) {
    if (total <= TRACKED_IN_MEMORY || id === chatId) break;
    memory.delete(id);
    total -= other.tracker.tracked.length;
  }
}

/**
 * What a chat says after a chain position, when it is only messages and reactions that tracking can read
 * on top of what it concluded; null when anything else came — an edit, a deletion, a correction, someone
 * joining or leaving — and the chat must be worked out from its start.
 */
function laterEntriesOf(archive: Archive, chatId: number, afterSeq: number): LaterEntries | null {
  const events = archive.all(
    archive.db
      .selectFrom("message_events")
      .select(["seq", "at", "kind", "message_id", "actor_id", "body"])
      .where("seq", ">", afterSeq)
      .where(sql<boolean>`+chat_id = ${chatId}`)
      .where("kind", "in", TRACKED_EVENTS),
  );
  if (events.some((event) => event.kind !== "reaction" || event.message_id === null || event.actor_id === null)) return null;
  const reactions = events.map((event) => ({ kind: "reaction" as const, seq: event.seq, at: event.at, personId: event.actor_id!, messageId: event.message_id!, emoji: event.body }));
  const rows = archive.all(selectTimelineMessages(archive).where("m.seq", ">", afterSeq).where(sql<boolean>`+m.chat_id = ${chatId}`).orderBy("m.seq"));
  const personNamed = personResolver(archive);
  return { messages: rows.map((row) => toTimelineMessage(row, personNamed, NO_EDITS)), reactions };
}

/** The events that say something to tracking; the rest (media, imports, audit, the bot's own follow-ups) do not. */
const TRACKED_EVENTS = ["edit", "delete", "system", "reaction", "mark"];

function storeTracked(archive: Archive, chatId: number, tracked: TrackedDirective[]): void {
  const directives: DirectiveTable[] = [];
  const people: DirectivePersonTable[] = [];
  for (const item of tracked) {
    const { detection } = item;
    directives.push({
      message_id: item.messageId,
      chat_id: chatId,
      issuer_id: item.issuerId,
      at: item.at,
      directive: item.directive ? 1 : 0,
      detected: detection.directive ? 1 : 0,
      marked: item.marked === null ? null : item.marked ? 1 : 0,
      score: detection.score,
      confidence: detection.confidence,
      cues: JSON.stringify(detection.cues),
      urgent: item.urgent ? 1 : 0,
      decision: detection.decision ? 1 : 0,
      deadline: detection.deadline?.at ?? null,
      deadline_all_day: detection.deadline ? (detection.deadline.allDay ? 1 : 0) : null,
      deadline_text: detection.deadline?.text ?? null,
    });
    if (!item.directive) continue;
    for (const personId of item.expected) {
      const acknowledged = item.acknowledged.get(personId);
      const done = item.done.get(personId);
      people.push({
        directive_id: item.messageId,
        person_id: personId,
        chat_id: chatId,
        acknowledged_at: acknowledged?.at ?? null,
        acknowledged_how: acknowledged?.how ?? null,
        acknowledged_message_id: acknowledged?.messageId ?? null,
        acknowledged_event_seq: acknowledged?.eventSeq ?? null,
        done_at: done?.at ?? null,
        done_message_id: done?.messageId ?? null,
      });
    }
  }
  insertAll(archive, "directives", directives);
  insertAll(archive, "directive_people", people);
}

/** Rows of one shape into a table, through one statement built from the first row's columns. */
function insertAll(archive: Archive, table: "directives" | "directive_people", rows: object[]): void {
  if (rows.length === 0) return;
  const insert = prepareInsert(archive, table, Object.keys(rows[0]!));
  for (const row of rows) insert.run(row as Record<string, unknown>);
}

/** The roster, lexicons and zone tracking depends on, as one hash. */
function inputsFingerprint(archive: Archive, inputs: TrackingInputs): string {
  const hash = createHash("sha256").update(`${TRACKING_VERSION}\u0000${inputs.lexicons.fingerprint}\u0000${inputs.timeZone}`);
  // Roles decide who gives directives and who owes answers; names, posts and phones whom a mention means.
  for (const row of archive.all(archive.db.selectFrom("people").select(["id", "roles", "in_roster", "phone", "name", "designation"]).orderBy("id"))) {
    hash.update(`\u0000${row.id}\u0001${row.roles}\u0001${row.in_roster}\u0001${row.phone ?? ""}\u0001${row.name}\u0001${row.designation ?? ""}`);
  }
  return hash.digest("hex");
}

/**
 * Raised when the way tracking works changes (a new rule, a fixed bug), so that an upgraded Nirdesh
 * works every chat out again instead of keeping what the old one concluded.
 */
const TRACKING_VERSION = 2;

/** Everything tracking needs of one chat, read from the archive. */
export function timelineOf(archive: Archive, chatId: number): ChatTimeline {
  // In the order of the chat-and-time index, which needs no sort: tracking reads by time anyway.
  const messageRows = archive.all(selectTimelineMessages(archive).where("m.chat_id", "=", chatId).orderBy("m.at").orderBy("m.id"));
  // Edits and deletions in one pass over the chat's events, not two subqueries per message.
  const edits: Edits = { body: new Map(), deleted: new Set() };
  for (const row of archive.all(
    archive.db.selectFrom("message_events").select(["message_id", "kind", "body"]).where("chat_id", "=", chatId).where("kind", "in", ["edit", "delete"]).orderBy("seq"),
  )) {
    if (row.message_id === null) continue;
    if (row.kind === "edit") edits.body.set(row.message_id, row.body);
    else edits.deleted.add(row.message_id);
  }
  const eventRows = archive.all(
    archive.db
      .selectFrom("message_events")
      .where("chat_id", "=", chatId)
      .where("kind", "in", ["system", "reaction", "mark"])
      .select(["seq", "at", "kind", "message_id", "actor_id", "body", "data", "source"])
      .orderBy("seq"),
  );
  const people = new Map<number, ChatMember>();
  for (const row of archive.all(archive.db.selectFrom("people").select(["id", "roles", "in_roster"]))) {
    people.set(row.id, { id: row.id, roles: row.roles ? (row.roles.split(";") as Role[]) : [], inRoster: row.in_roster === 1 });
  }
  const rosterLoaded = [...people.values()].some((person) => person.inRoster);
  const personNamed = personResolver(archive);

  const events: TimelineEvent[] = [];
  const admins = new Set<number>();
  const inGroup = new Set<number>();
  for (const row of eventRows) {
    if (row.kind === "mark") {
      const data = JSON.parse(row.data) as { directive?: boolean; urgent?: boolean };
      if (row.message_id !== null && typeof data.directive === "boolean") {
        events.push({ kind: "mark", seq: row.seq, at: row.at, messageId: row.message_id, directive: data.directive, urgent: data.urgent === true });
      }
    } else if (row.kind === "reaction") {
      if (row.message_id !== null && row.actor_id !== null) events.push({ kind: "reaction", seq: row.seq, at: row.at, personId: row.actor_id, messageId: row.message_id, emoji: row.body });
    } else {
      const data = JSON.parse(row.data) as { action?: string; admins?: number[]; members?: number[]; joined?: number[]; left?: number[] };
      // The live bot records ids; an export, names in a line of text.
      const seen = row.source === "import" ? systemParticipants(row.body) : NOBODY;
      const actor = row.actor_id ?? (seen.actor ? personNamed(seen.actor) : null);
      // Who added people in an export is in the group; a superior only where no roster says who is one.
      if (actor !== null && (seen.actor || data.action === "admin")) {
        if (rosterLoaded) inGroup.add(actor);
        else admins.add(actor);
      }
      for (const id of data.admins ?? []) admins.add(id);
      // Who the bot found in the group when it connected.
      for (const id of data.members ?? []) inGroup.add(id);
      const joined = [...(data.joined ?? []), ...seen.joined.map(personNamed).filter((id): id is number => id !== null)];
      const left = [...(data.left ?? []), ...seen.left.map(personNamed).filter((id): id is number => id !== null)];
      for (const personId of joined) events.push({ kind: "joined", seq: row.seq, at: row.at, personId });
      for (const personId of left) events.push({ kind: "left", seq: row.seq, at: row.at, personId });
    }
  }

  const messages = messageRows.map((row) => toTimelineMessage(row, personNamed, edits));
  return { messages, events, people, admins, seen: inGroup, rosterLoaded };
}

function selectTimelineMessages(archive: Archive) {
  return archive.db
    .selectFrom("messages as m")
    .select(["m.id", "m.whatsapp_id", "m.seq", "m.at", "m.sender_id", "m.body", "m.type", "m.forwarded", "m.quoted_whatsapp_id", "m.mentions"]);
}

type TimelineMessageRow = Pick<MessageRow, "id" | "whatsapp_id" | "seq" | "at" | "sender_id" | "body" | "type" | "forwarded" | "quoted_whatsapp_id" | "mentions">;

/** The last words of edited messages, and the messages deleted for everyone. */
interface Edits {
  body: Map<number, string>;
  deleted: Set<number>;
}
const NO_EDITS: Edits = { body: new Map(), deleted: new Set() };

function toTimelineMessage(row: TimelineMessageRow, personNamed: (name: string) => number | null, edits: Edits): TimelineMessage {
  const mentions = JSON.parse(row.mentions) as Array<{ name: string; phone: string | null }>;
  return {
    id: row.id,
    whatsappId: row.whatsapp_id,
    seq: row.seq,
    at: row.at,
    senderId: row.sender_id,
    body: edits.body.get(row.id) ?? row.body,
    type: row.type,
    forwarded: row.forwarded === 1,
    deleted: row.type === "revoked" || edits.deleted.has(row.id),
    quotedWhatsappId: row.quoted_whatsapp_id,
    mentionNames: mentions.map((mention) => mention.name),
    mentioned: mentions
      .map((mention) => (mention.phone ? personNamed(mention.phone) : null) ?? personNamed(mention.name))
      .filter((id): id is number => id !== null),
  };
}

/**
 * Whom a name or phone in a chat means. Officers are often saved, and @mentioned, by their post
 * ("ইউএনও সখীপুর"): a post the roster gives to exactly one person names them.
 */
function personResolver(archive: Archive): (name: string) => number | null {
  const byPost = new Map<string, number | null>();
  for (const row of archive.all(archive.db.selectFrom("people").select(["id", "designation"]).where("in_roster", "=", 1).where("designation", "is not", null))) {
    const key = postKey(row.designation!);
    byPost.set(key, byPost.has(key) ? null : row.id);
  }
  const names = new Map<string, number | null>();
  return (name: string): number | null => {
    let id = names.get(name);
    if (id === undefined) {
      const phone = phoneWrittenAs(name);
      id =
        (phone
          ? archive.get(archive.db.selectFrom("people").select("id").where("phone", "=", phone))?.id
          : (findPersonByName(archive, name)?.id ?? byPost.get(postKey(name)))) ?? null;
      names.set(name, id);
    }
    return id;
  };
}

const NOBODY: ReturnType<typeof systemParticipants> = { actor: null, joined: [], left: [] };

/** A post as people write it, without case, spaces or punctuation: "ইউএনও, সখীপুর" is "ইউএনও সখীপুর". */
function postKey(post: string): string {
  return post.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, "");
}
