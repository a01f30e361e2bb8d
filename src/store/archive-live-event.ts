import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { LiveChat, LiveEvent, LiveGroup, LiveMessage, LivePerson } from "../domain/live-event.js";
import type { MediaReference, Person } from "../domain/message.js";
import { appendToArchive, type ChainWriter, type EventToArchive } from "./append-to-archive.js";
import { type Chat, findOrCreateLiveChat } from "./chats.js";
import { lastEdit } from "./message-views.js";
import { type Archive, oncePerArchive } from "./open-archive.js";
import { resolveLivePerson } from "./people.js";

/** What archiving one live event did. */
export interface LiveArchiveOutcome {
  chatId: number;
  /** Whether a row was added (false: it was archived already, e.g. by backfill or an earlier export). */
  added: boolean;
  /** The archive's id of the message the event is, or is about (null: a message from before the archive). */
  messageId: number | null;
}

/**
 * Archives one event from a watched group, in one transaction: the message itself, or an edit,
 * deletion, reaction or membership change as an event of what it is about. Idempotent by WhatsApp id,
 * so a message that `message_create`, backfill and a reconnect all bring is archived once.
 */
export function archiveLiveEvent(archive: Archive, event: LiveEvent, now: () => number): LiveArchiveOutcome {
  return archive.transaction(() => {
    const chat = findOrCreateLiveChat(archive, event.chat, now());
    return appendToArchive(archive, now, (chain) => {
      switch (event.kind) {
        case "message":
          return archiveMessage(archive, chain, chat, event, now);
        case "edit": {
          const original = messageWithId(archive, event.messageId);
          // whatsapp-web.js reports any change of a body or caption; only new words are an edit.
          if (original && currentBody(archive, original.id) === event.body) return { chatId: chat.id, added: false, messageId: original.id };
          const edit = { kind: "edit" as const, whatsappId: editId(event.messageId, event.at, event.body), at: event.at, body: event.body };
          return eventAbout(chain, chat, event.messageId, original, { ...edit, actor: person(archive, event.sender, now), actorName: event.sender.name });
        }
        case "deletion": {
          const actor = event.sender && person(archive, event.sender, now);
          const deletion = { kind: "delete" as const, whatsappId: `${event.messageId}#delete`, at: event.at, body: "" };
          return eventAbout(chain, chat, event.messageId, messageWithId(archive, event.messageId), { ...deletion, actor, actorName: event.sender?.name ?? null });
        }
        case "reaction": {
          const whatsappId = `${event.messageId}#reaction:${event.sender.whatsappId}@${event.at}:${event.emoji}`;
          const reaction = { kind: "reaction" as const, whatsappId, at: event.at, body: event.emoji };
          return eventAbout(chain, chat, event.messageId, messageWithId(archive, event.messageId), { ...reaction, actor: person(archive, event.sender, now), actorName: event.sender.name });
        }
        case "membership": {
          const actor = event.actor && person(archive, event.actor, now);
          const ids = event.people.map((someone) => person(archive, someone, now).id);
          const data: Record<string, unknown> = { action: event.action, people: ids };
          if (event.action === "joined") data.joined = ids;
          if (event.action === "left") data.left = ids;
          if (event.action === "promoted") data.admins = ids;
          const added = chain.event(liveEvent(chat, { message: null, kind: "system", whatsappId: event.id, actor, actorName: event.actor?.name ?? null, at: event.at, body: event.body, data })) !== null;
          return { chatId: chat.id, added, messageId: null };
        }
      }
    });
  });
}

/** An event the live bot archives: from WhatsApp, of no import. */
function liveEvent(chat: Chat, row: Omit<EventToArchive, "chat" | "source" | "importId" | "importKey">): EventToArchive {
  return { ...row, chat, source: "live", importId: null, importKey: null };
}

/**
 * An edit, deletion or reaction of the message WhatsApp calls `messageWhatsappId`. One the archive does not
 * have (sent before the bot joined) is named in the event's data, so nothing WhatsApp said is dropped.
 */
function eventAbout(
  chain: ChainWriter,
  chat: Chat,
  messageWhatsappId: string,
  original: { id: number; seq: number } | undefined,
  row: Omit<EventToArchive, "chat" | "source" | "importId" | "importKey" | "message" | "data">,
): LiveArchiveOutcome {
  const added = chain.event(liveEvent(chat, { ...row, message: original ?? null, data: original ? {} : { messageWhatsappId } })) !== null;
  return { chatId: chat.id, added, messageId: original?.id ?? null };
}

function archiveMessage(archive: Archive, chain: ChainWriter, chat: Chat, event: LiveMessage, now: () => number): LiveArchiveOutcome {
  const sender = person(archive, event.sender, now);
  const known = messageWithId(archive, event.id) ?? importedTwin(archive, chat, sender, event);
  if (known) {
    // Backfill can show a message as it is now: deleted, or with new words, since it was archived.
    const by = { actor: sender, actorName: event.sender.name };
    if (event.type === "revoked") return eventAbout(chain, chat, event.id, known, { ...by, kind: "delete", whatsappId: `${event.id}#delete`, at: event.at, body: "" });
    if (event.edited && event.body !== currentBody(archive, known.id)) {
      return eventAbout(chain, chat, event.id, known, { ...by, kind: "edit", whatsappId: editId(event.id, event.edited.at, event.body), at: event.edited.at, body: event.body });
    }
    return { chatId: chat.id, added: false, messageId: known.id };
  }
  const row = chain.message({
    chat,
    whatsappId: event.id,
    importKey: null,
    source: "live",
    importId: null,
    sender,
    senderName: event.sender.name,
    at: event.at,
    body: event.body,
    type: event.type,
    quotedWhatsappId: event.quotedId,
    mentions: event.mentions.map((mention) => ({ name: mention.name, phone: mention.phone })),
    forwarded: event.forwarded,
    edited: event.edited !== null,
    media: event.media ? { sha256: null, mimetype: event.media.mimetype, size: event.media.size, fileName: event.media.fileName } : null,
  });
  return { chatId: chat.id, added: row !== null, messageId: row?.id ?? messageWithId(archive, event.id)?.id ?? null };
}

/**
 * An edit's own id: the same edit delivered twice (live, then in a backfill) is one event; two edits are
 * two, even when WhatsApp gives no edit time and both carry the message's.
 */
function editId(messageId: string, at: number, body: string): string {
  return `${messageId}#edit@${at}:${createHash("sha256").update(body).digest("hex").slice(0, 16)}`;
}

function person(archive: Archive, live: LivePerson, now: () => number): Person {
  return resolveLivePerson(archive, live, now());
}

/** The archived message WhatsApp calls `whatsappId`, whether archived live or first from an export. */
export function messageWithId(archive: Archive, whatsappId: string): { id: number; seq: number } | undefined {
  return (
    archive.get(archive.db.selectFrom("messages").select(["id", "seq"]).where("whatsapp_id", "=", whatsappId)) ??
    archive.get(
      archive.db.selectFrom("message_aliases as a").innerJoin("messages as m", "m.id", "a.message_id").select(["m.id", "m.seq"]).where("a.whatsapp_id", "=", whatsappId),
    )
  );
}

const importedUntil = oncePerArchive(() => new Map<number, { importId: number; at: number | null }>());

/** The newest time an export of this chat shows, looked up again only when another export comes in. */
function lastImportedAt(archive: Archive, chatId: number): number | null {
  const latest = archive.get(archive.db.selectFrom("imports").select((eb) => eb.fn.max("id").as("id")).where("chat_id", "=", chatId))?.id ?? null;
  if (latest === null) return null;
  const known = importedUntil(archive);
  const cached = known.get(chatId);
  if (cached?.importId === latest) return cached.at;
  const at =
    archive.get(archive.db.selectFrom("messages").select((eb) => eb.fn.max("at").as("at")).where("chat_id", "=", chatId).where("source", "=", "import"))?.at ?? null;
  known.set(chatId, { importId: latest, at });
  return at;
}

/**
 * The message an export already archived that this live one is (same sender, minute, type and words,
 * not yet claimed by another WhatsApp id). It is given this id, so it is not archived twice.
 */
function importedTwin(archive: Archive, chat: Chat, sender: Person, event: LiveMessage): { id: number; seq: number } | undefined {
  const minute = Math.floor(event.at / 60_000) * 60_000;
  // Most live messages are newer than anything exported: no need to look through their minute.
  const until = lastImportedAt(archive, chat.id);
  if (until === null || minute > until) return undefined;
  const twin = archive.get(
    archive.db
      .selectFrom("messages as m")
      .select(["m.id", "m.seq"])
      .where("m.chat_id", "=", chat.id)
      .where("m.at", ">=", minute)
      .where("m.at", "<", minute + 60_000)
      .where("m.source", "=", "import")
      .where("m.sender_id", "=", sender.id)
      .where("m.type", "=", event.type)
      .where("m.body", "=", event.body)
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM message_aliases a WHERE a.message_id = m.id)`)
      .orderBy("m.seq")
      .limit(1),
  );
  if (twin) archive.run(archive.db.insertInto("message_aliases").values({ whatsapp_id: event.id, message_id: twin.id }));
  return twin;
}

function currentBody(archive: Archive, messageId: number): string {
  const row = archive.get(
    archive.db
      .selectFrom("messages as m")
      .select((eb) => ["m.body", lastEdit(eb).as("edited")])
      .where("m.id", "=", messageId),
  );
  return row?.edited ?? row?.body ?? "";
}

/**
 * Records who is in a watched group and who is admin, when that differs from what was last recorded:
 * where the roster is silent, admins are the superiors, and members are who is expected to answer.
 */
export function recordParticipants(archive: Archive, group: LiveGroup, me: string | null, now: () => number): boolean {
  return archive.transaction(() => {
    const chat = findOrCreateLiveChat(archive, group.chat, now());
    const participants = group.participants
      .filter((participant) => participant.person.whatsappId !== me)
      .map((participant) => ({ id: person(archive, participant.person, now).id, admin: participant.admin }))
      .sort((a, b) => a.id - b.id);
    const admins = participants.filter((participant) => participant.admin).map((participant) => participant.id);
    const members = participants.map((participant) => participant.id);
    const last = archive.get(
      archive.db
        .selectFrom("message_events")
        .select("data")
        .where("chat_id", "=", chat.id)
        .where("kind", "=", "system")
        .where(sql<string>`json_extract(data, '$.action')`, "=", "participants")
        .orderBy("seq", "desc")
        .limit(1),
    );
    const data = { action: "participants", admins, members };
    if (last && last.data === JSON.stringify(data)) return false;
    appendToArchive(archive, now, (chain) =>
      chain.event(liveEvent(chat, { message: null, kind: "system", whatsappId: null, actor: null, actorName: null, at: now(), body: "", data })),
    );
    return true;
  });
}

/** Records the file of a live message once it is stored, or that WhatsApp would not give it. */
export function recordLiveMedia(
  archive: Archive,
  chat: LiveChat,
  messageWhatsappId: string,
  outcome: { stored: MediaReference } | { failed: string; attempts: number },
  now: () => number,
): boolean {
  return archive.transaction(() => {
    const message = messageWithId(archive, messageWhatsappId);
    if (!message) return false;
    const archivedChat = findOrCreateLiveChat(archive, chat, now());
    const stored = "stored" in outcome;
    return (
      appendToArchive(archive, now, (chain) =>
        chain.event(
          liveEvent(archivedChat, {
            message,
            kind: stored ? "media" : "media-failed",
            whatsappId: stored ? `${messageWhatsappId}#media` : `${messageWhatsappId}#media-failed@${now()}`,
            actor: null,
            actorName: null,
            at: now(),
            body: "",
            data: stored ? { ...outcome.stored } : { reason: outcome.failed, attempts: outcome.attempts },
          }),
        ),
      ) !== null
    );
  });
}

/**
 * The newest time archived live in a chat before a moment (when the connection came back): backfill
 * fetches from there on. What was archived after it says nothing of the gap before it.
 */
export function lastLiveMessageAt(archive: Archive, chatWhatsappId: string, archivedBefore: number): number | null {
  const row = archive.get(
    archive.db
      .selectFrom("messages as m")
      .innerJoin("chats as c", "c.id", "m.chat_id")
      .select((eb) => eb.fn.max("m.at").as("at"))
      .where("c.whatsapp_id", "=", chatWhatsappId)
      .where("m.source", "=", "live")
      .where("m.archived_at", "<", archivedBefore),
  );
  return row?.at ?? null;
}

/** Live messages whose file was neither stored nor given up on (a restart interrupted the download). */
export function mediaStillToFetch(archive: Archive, chatWhatsappId: string): string[] {
  return archive
    .all(
      archive.db
        .selectFrom("messages as m")
        .innerJoin("chats as c", "c.id", "m.chat_id")
        .select("m.whatsapp_id")
        .where("c.whatsapp_id", "=", chatWhatsappId)
        .where("m.source", "=", "live")
        .where("m.type", "in", ["image", "video", "audio", "voice", "document", "sticker", "media"])
        .where("m.media_sha256", "is", null)
        .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.kind IN ('media', 'media-failed'))`),
    )
    .map((row) => row.whatsapp_id!)
    .filter(Boolean);
}
