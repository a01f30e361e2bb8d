import { hash } from "node:crypto";
import { Readable } from "node:stream";
import type { Logger } from "pino";
import type { MediaReference, Person } from "../domain/message.js";
import { phoneWrittenAs } from "../domain/phone.js";
import { appendToArchive, type ChainWriter } from "../store/append-to-archive.js";
import { type Chat, findOrCreateChat } from "../store/chats.js";
import type { MediaStore } from "../store/media-store.js";
import type { Archive } from "../store/open-archive.js";
import { findPersonByName, resolveAuthor } from "../store/people.js";
import { importEventData } from "../store/hash-chain.js";
import { UserError } from "../user-error.js";
import { mimetypeOf, systemAction } from "./markers.js";
import { type DateOrder, type ExportEntry, type ParsedExport, parseChatExport } from "./parse-chat-export.js";
import { readExportFile } from "./read-export-file.js";

export interface ImportOptions {
  timeZone: string;
  /** The group the export belongs to; read from the file's name or its first line when absent. */
  chatName?: string;
  dateOrder?: DateOrder;
}

export interface ImportSummary {
  file: string;
  chat: string;
  dateOrder: DateOrder;
  messagesFound: number;
  messagesAdded: number;
  eventsFound: number;
  eventsAdded: number;
  editsFound: number;
  deletionsFound: number;
  mediaStored: number;
  /** Files of messages archived before without them (a .txt imported, then the .zip of the same chat). */
  mediaLinked: number;
  mediaMissing: number;
  /** Lines before the first message, which have no time and were not archived. */
  unreadLines: number;
}

/** A chat export that was read, understood and its files stored: ready to archive. */
export interface PreparedImport {
  path: string;
  fileName: string;
  parsed: ParsedExport;
  chatName: string;
  timeZone: string;
  chatTextSha256: string;
  stored: Map<string, MediaReference>;
  mediaMissing: number;
}

/**
 * Reads and parses one WhatsApp "Export chat" file (.txt or .zip) and stores its text and media by
 * SHA-256, writing nothing to the archive: a bad file among several is refused before any is archived.
 * Stored files are harmless if the import goes no further — nothing points at them, and a second
 * import finds them already there.
 */
export async function prepareImport(path: string, options: ImportOptions, media: MediaStore): Promise<PreparedImport> {
  if (options.chatName !== undefined && !options.chatName.trim()) throw new UserError((t) => t.badChatName);
  const file = await readExportFile(path);
  try {
    const parsed = parseChatExport(file.text, {
      timeZone: options.timeZone,
      fileName: path,
      ...(options.dateOrder ? { dateOrder: options.dateOrder } : {}),
    });
    const chatName = options.chatName?.trim() ?? chatNameOf(file.name, parsed.entries);
    if (!chatName) throw new UserError((t) => t.chatNameUnknown(path));
    const chatText = await media.put(Readable.from(file.textBytes));
    const stored = new Map<string, MediaReference>();
    let mediaMissing = 0;
    for (const entry of parsed.entries) {
      const name = entry.mediaFileName?.normalize("NFC");
      if (!name || stored.has(name)) continue;
      const open = file.media.get(name);
      if (!open) {
        if (file.media.size > 0) mediaMissing++;
        continue;
      }
      try {
        const { sha256, size } = await media.put(await open());
        stored.set(name, { sha256, size, mimetype: mimetypeOf(name), fileName: name });
      } catch (error) {
        throw new UserError((t) => t.zipBroken(path, `${name}: ${(error as Error).message}`));
      }
    }
    return { path, fileName: file.name, parsed, chatName, timeZone: options.timeZone, chatTextSha256: chatText.sha256, stored, mediaMissing };
  } finally {
    file.close();
  }
}

/**
 * Archives a prepared export in one transaction. Importing the same export again, or a newer one that
 * overlaps it, adds nothing twice: a message counts as already archived when the chat already holds as
 * many messages from the same person, in the same minute, with the same words.
 */
export function archiveImport(archive: Archive, prepared: PreparedImport, now: () => number, log: Logger): ImportSummary {
  const { parsed, chatName, stored } = prepared;
  const summary = appendToArchive(archive, now, (chain) => {
    const chat = findOrCreateChat(archive, chatName, now());
    const record = {
      file_name: prepared.fileName,
      file_sha256: prepared.chatTextSha256,
      chat_id: chat.id,
      imported_at: now(),
      date_order: parsed.dateOrder,
      time_zone: prepared.timeZone,
    };
    const importId = archive.run(
      archive.db.insertInto("imports").values({ ...record, messages_found: 0, messages_added: 0, events_added: 0, head_seq: 0, head_hash: "" }),
    ).lastInsertRowid;
    // The import itself is in the chain: which file (by SHA-256, kept in the media store) and how its
    // times were read. Every row it adds names it.
    chain.event({
      chat,
      message: null,
      kind: "import",
      whatsappId: null,
      importKey: null,
      source: "import",
      importId,
      actor: null,
      actorName: null,
      at: record.imported_at,
      body: prepared.fileName,
      data: importEventData({ id: importId, ...record }),
    });
    const counts = archiveEntries(archive, chain, chat, importId, parsed.entries, stored, now);
    // The chain's head after this import: verify checks it is still there, so cutting rows off the
    // end of the archive is found too.
    const head = chain.head();
    archive.run(
      archive.db
        .updateTable("imports")
        .set({
          messages_found: counts.messagesFound,
          messages_added: counts.messagesAdded,
          events_added: counts.eventsAdded,
          head_seq: head.seq,
          head_hash: head.hash,
        })
        .where("id", "=", importId),
    );
    return {
      file: prepared.fileName,
      chat: chat.name,
      dateOrder: parsed.dateOrder,
      ...counts,
      mediaStored: stored.size,
      mediaMissing: prepared.mediaMissing,
      unreadLines: parsed.unreadLines,
    };
  });
  // The file's name can hold a phone number ("WhatsApp Chat with +880…"): the log names the import by its SHA-256.
  log.info({ sha256: prepared.chatTextSha256, added: summary.messagesAdded, found: summary.messagesFound, events: summary.eventsAdded }, "chat export imported");
  return summary;
}

/** Reads, parses and archives one export. */
export async function importChatExport(
  archive: Archive,
  media: MediaStore,
  path: string,
  options: ImportOptions,
  now: () => number,
  log: Logger,
): Promise<ImportSummary> {
  return archiveImport(archive, await prepareImport(path, options, media), now, log);
}

type Counts = Pick<ImportSummary, "messagesFound" | "messagesAdded" | "eventsFound" | "eventsAdded" | "editsFound" | "deletionsFound" | "mediaLinked">;

function archiveEntries(
  archive: Archive,
  chain: ChainWriter,
  chat: Chat,
  importId: number,
  entries: ExportEntry[],
  stored: Map<string, MediaReference>,
  now: () => number,
): Counts {
  const queries = importQueries(archive);
  // A chat's first export has nothing archived to repeat, edit or delete: its messages skip those questions.
  const earlier = archive.get(archive.db.selectFrom("messages").select("id").where("chat_id", "=", chat.id).limit(1)) !== undefined;
  const counts: Counts = { messagesFound: 0, messagesAdded: 0, eventsFound: 0, eventsAdded: 0, editsFound: 0, deletionsFound: 0, mediaLinked: 0 };
  const occurrences = new Map<string, number>();
  const people = new Map<string, Person>();
  const personOf = (author: string) => {
    let person = people.get(author);
    if (!person) {
      person = resolveAuthor(archive, author, now());
      people.set(author, person);
    }
    return person;
  };

  // What this export itself shows per sender and minute: an earlier message still shown here is not
  // the one a deletion or an edit in the same minute is about.
  const shown = new Set<string>();
  for (const entry of earlier ? entries : []) {
    if (entry.kind === "message") shown.add([entry.author, minuteOf(entry.at), entry.type, entry.body].join("\u0000"));
  }
  const shownHere = (author: string, minute: number) => (candidate: { type: string; body: string }) =>
    !shown.has([author, minute, candidate.type, candidate.body].join("\u0000"));

  for (const entry of entries) {
    const minute = minuteOf(entry.at);
    if (entry.kind === "system") {
      counts.eventsFound++;
      const group = ["system", minute, entry.body].join("\u0000");
      const n = occurrences.get(group) ?? 0;
      occurrences.set(group, n + 1);
      const added = chain.event({
        chat,
        message: null,
        kind: "system",
        whatsappId: null,
        importKey: importKey(chat, group, n),
        source: "import",
        importId,
        actor: null,
        actorName: entry.author,
        at: entry.at,
        body: entry.body,
        data: { action: systemAction(entry.body) },
      });
      if (added) counts.eventsAdded++;
      continue;
    }

    counts.messagesFound++;
    const sender = personOf(entry.author!);
    const group = ["message", sender.id, minute, entry.type, entry.body].join("\u0000");
    const n = occurrences.get(group) ?? 0;
    occurrences.set(group, n + 1);
    const key = importKey(chat, group, n);
    const same: SameMessage = { chat: chat.id, from: minute, to: minute + 60_000, sender: sender.id, author: entry.author!, type: entry.type, body: entry.body };
    const reference = entry.mediaFileName ? stored.get(entry.mediaFileName.normalize("NFC")) : undefined;
    if (earlier && n < queries.countArchived.get(same)!.n) {
      // Already archived, perhaps from the .txt alone: the .zip of the same chat brings the file.
      if (reference) {
        const original = queries.withoutMedia.get(same);
        if (original) {
          const added = chain.event({ ...eventBase(chat, original, importKey(chat, `media\u0000${group}`, n), importId, sender, entry), kind: "media", body: "", data: { ...reference } });
          if (added) counts.mediaLinked++;
        }
      }
      continue;
    }
    // Deletions and edits of earlier messages are events; their keys are there, not among the messages.
    if (earlier && (entry.edited || entry.type === "revoked") && queries.eventKey.get({ key })) continue;

    // A later export shows an edited message with its new words, and a deleted one as a deletion:
    // both are events of the message an earlier import (or the live bot) archived, never a new message.
    const original =
      earlier && (entry.edited || entry.type === "revoked")
        ? findOriginal(archive, chat, sender, minute, entry, importId).find(shownHere(entry.author!, minute))
        : undefined;
    if (original && entry.type === "revoked") {
      counts.deletionsFound++;
      chain.event({ ...eventBase(chat, original, key, importId, sender, entry), kind: "delete", body: "", data: {} });
      continue;
    }
    if (original && entry.edited) {
      counts.editsFound++;
      chain.event({ ...eventBase(chat, original, key, importId, sender, entry), kind: "edit", body: entry.body, data: {} });
      continue;
    }
    const added = chain.message({
      chat,
      whatsappId: null,
      importKey: key,
      source: "import",
      importId,
      sender,
      senderName: entry.author!,
      at: entry.at,
      body: entry.body,
      type: entry.type,
      quotedWhatsappId: null,
      mentions: entry.mentions.map((name) => mentionOf(archive, name)),
      forwarded: false,
      edited: entry.edited,
      media: entry.mediaFileName
        ? (reference ?? { sha256: null, size: null, mimetype: mimetypeOf(entry.mediaFileName), fileName: entry.mediaFileName })
        : null,
    });
    if (added) counts.messagesAdded++;
  }
  return counts;
}

function minuteOf(at: number): number {
  return Math.floor(at / 60_000) * 60_000;
}

function importKey(chat: Chat, group: string, occurrence: number): string {
  return hash("sha256", `${chat.key}\u0000${group}\u0000${occurrence}`);
}

type SameMessage = { chat: number; from: number; to: number; sender: number; author: string; type: string; body: string };

/**
 * Archived messages that are this entry: same chat, minute, type and words, from the person the name
 * resolves to now or under the name this export shows (a roster loaded between two imports may have
 * joined a name and a number into one person).
 */
function sameMessages(archive: Archive, param: <K extends keyof SameMessage & string>(name: K) => SameMessage[K]) {
  return archive.db
    .selectFrom("messages as m")
    .where("m.chat_id", "=", param("chat"))
    .where("m.at", ">=", param("from"))
    .where("m.at", "<", param("to"))
    .where((eb) => eb.or([eb("m.sender_id", "=", param("sender")), eb("m.sender_name", "=", param("author"))]))
    .where("m.type", "=", param("type"))
    .where("m.body", "=", param("body"));
}

/** The questions asked of every imported message, built once. */
function importQueries(archive: Archive) {
  return {
    countArchived: archive.prepare<SameMessage, { n: number }>((param) =>
      sameMessages(archive, param).select((eb) => eb.fn.countAll<number>().as("n")),
    ),
    withoutMedia: archive.prepare<SameMessage, { id: number; seq: number }>((param) =>
      sameMessages(archive, param)
        .select(["m.id", "m.seq"])
        .where("m.media_sha256", "is", null)
        .where((eb) => eb.not(eb.exists(eb.selectFrom("message_events as e").select("e.id").whereRef("e.message_id", "=", "m.id").where("e.kind", "=", "media"))))
        .orderBy("m.seq")
        .limit(1),
    ),
    eventKey: archive.prepare<{ key: string }, { id: number }>((param) =>
      archive.db.selectFrom("message_events").select("id").where("import_key", "=", param("key")),
    ),
  };
}

/** Messages a deletion or an edit in a later export may be about: same chat, sender and minute, archived before. */
function findOriginal(archive: Archive, chat: Chat, sender: Person, minute: number, entry: ExportEntry, importId: number) {
  const candidates = archive.all(
    archive.db
      .selectFrom("messages as m")
      .select(["m.id", "m.seq", "m.body", "m.type"])
      .where("m.chat_id", "=", chat.id)
      .where("m.at", ">=", minute)
      .where("m.at", "<", minute + 60_000)
      .where("m.sender_id", "=", sender.id)
      .where("m.type", "!=", "revoked")
      .where((eb) => eb.or([eb("m.import_id", "is", null), eb("m.import_id", "!=", importId)]))
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom("message_events as e").select("e.id").whereRef("e.message_id", "=", "m.id").where("e.kind", "=", "delete"))),
      )
      .orderBy("m.seq"),
  );
  if (entry.type === "revoked") return candidates;
  return candidates.filter((candidate) => candidate.type === entry.type && candidate.body !== entry.body);
}

function eventBase(chat: Chat, original: { id: number; seq: number }, key: string, importId: number, sender: Person, entry: ExportEntry) {
  return {
    chat,
    message: original,
    whatsappId: null,
    importKey: key,
    source: "import" as const,
    importId,
    actor: sender,
    actorName: entry.author,
    at: entry.at,
  };
}

function mentionOf(archive: Archive, name: string): { name: string; phone: string | null } {
  return { name, phone: phoneWrittenAs(name) ?? findPersonByName(archive, name)?.phone ?? null };
}

const CHAT_FILE_NAMES = [
  /^WhatsApp Chat with (.+)$/i,
  /^WhatsApp Chat - (.+)$/i,
  /^WhatsApp Chat mit (.+)$/i,
  /^Chat de WhatsApp con (.+)$/i,
  /^Discussion WhatsApp avec (.+)$/i,
  /^WhatsApp-chat met (.+)$/i,
  /^হোয়াটসঅ্যাপ চ্যাট[:\s-]+(.+)$/,
];

/**
 * The group's name from the export's file name ("WhatsApp Chat with X.txt", "WhatsApp Chat - X.zip"),
 * or from iOS's first line, which names the group as the sender of the encryption notice.
 */
function chatNameOf(fileName: string, entries: ExportEntry[]): string | null {
  const stem = fileName
    .normalize("NFC")
    .replace(/\.(txt|zip)$/i, "")
    .replace(/\s\(\d+\)$/, "")
    .replace(/\u00a0/g, " ")
    .trim();
  for (const pattern of CHAT_FILE_NAMES) {
    const match = pattern.exec(stem);
    if (match) return match[1]!.trim();
  }
  const notice = entries.find((entry) => entry.kind === "system" && entry.author && /end-to-end/i.test(entry.body));
  return notice?.author ?? null;
}
