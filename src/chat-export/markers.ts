import type { MessageType } from "../domain/message.js";

/**
 * The words WhatsApp writes into an export in place of media, deletions and edits, in the
 * languages offices' phones use (English and Bangla first).
 */

/** A sender part that is really the start of a system line ("X changed the subject to "A: B""). */
export const SYSTEM_AUTHOR_PHRASES =
  / (changed the subject|changed the group description|changed this group's|created group|added|removed|changed their phone number|joined using|changed to \+)/;

/** System lines that iOS (and new exports) write as a message from the group, behind a U+200E mark. */
export const SYSTEM_BODY_PHRASES = new RegExp(
  [
    "^Messages and calls are end-to-end encrypted",
    "^Messages (?:to this (?:group|chat)|you send to this (?:group|chat))(?: and calls)? are now secured",
    "created (?:this )?group",
    "joined using this group's invite link",
    "^You joined using",
    "reset this group's invite link",
    " added ",
    " added you$",
    "^You were added",
    " removed ",
    " left$",
    "^You left$",
    "changed the subject",
    "changed the group name",
    "changed this group's (?:icon|settings)",
    "deleted this group's icon",
    "changed the group description",
    "changed their phone number",
    "security code (?:with .+ )?changed",
    "^Your security code",
    "now an admin",
    "no longer an admin",
    "turned (?:on|off) disappearing messages",
    "updated the message timer",
    "^Missed (?:voice|video|group voice|group video) call",
    "pinned a message",
    "এন্ড-টু-এন্ড এনক্রিপ্ট",
    "গ্রুপ তৈরি করেছেন",
    " যোগ করেছেন",
    "চলে গেছেন",
    "বাদ দিয়েছেন",
  ].join("|"),
);

/** What reads like someone's message but is WhatsApp speaking: calls, undecryptable messages, notices. */
export const AUTHORED_SYSTEM_BODY =
  /^(?:Missed (?:voice|video|group voice|group video) call|Waiting for this message|You turned (?:on|off) disappearing messages\b.*|Your security code with .+ changed\b.*|Messages and calls are end-to-end encrypted\b.*)$/s;

const DELETED = new RegExp(
  "^\\u200e?(?:" +
    [
      "This message was deleted",
      "You deleted this message",
      "This message was deleted by admin.*",
      "এই মেসেজটি মুছে ফেলা হয়েছে",
      "এই বার্তাটি মুছে ফেলা হয়েছে",
      "আপনি এই মেসেজটি মুছে দিয়েছেন",
      "আপনি এই বার্তাটি মুছে দিয়েছেন",
      "আপনি এই মেসেজটি মুছে ফেলেছেন",
    ].join("|") +
    ")\\.?$",
);
const EDITED = /[\s\u200e]*<\u200e?(?:This message was edited|এই মেসেজটি এডিট করা হয়েছে|এই বার্তাটি সম্পাদনা করা হয়েছে|মেসেজটি এডিট করা হয়েছে)>$/;
const ANDROID_ATTACHED = /^\u200e?(\S.*?\.[A-Za-z0-9]{0,6}) \((?:file attached|ফাইল সংযুক্ত(?: করা হয়েছে)?|সংযুক্ত ফাইল|Datei angehängt|bestand bijgevoegd|archivo adjunto|arquivo anexado|fichier joint|file allegato)\)$/;
// iOS: `<attached: X>` in any language (`<adjunto: X>`), and the oldest `X <attached>`.
const IOS_ATTACHED = /\u200e?<\u200e?[^<>:\n]{2,30}:\s*\u200e?([^<>\n]+?\.[A-Za-z0-9]{1,6})\s*>\s*$/;
const OLD_IOS_ATTACHED = /^\u200e?(\S+\.[A-Za-z0-9]{1,6}) <\u200e?attached>$/;
// Only a document keeps words before "omitted": its title ("report.pdf • 2 pages document omitted").
const OMITTED =
  /^(?:(.+?\s*•\s*\u200e?\d+\s*\S+|.+?\.[A-Za-z0-9]{1,6})\s*\u200e?(document) omitted|\u200e?(image|video|audio|sticker|GIF|document|Contact card|video note) omitted|<\u200e?(image|video|audio|sticker|GIF|document) omitted>|<Media omitted>|<media omitted>|<মিডিয়া বাদ দেওয়া হয়েছে>|<মিডিয়া বাদ দেয়া হয়েছে>|<মিডিয়া নেই>|null|<View once message omitted>)$/;
const LOCATION = /^\u200e?(?:location|Location|live location shared|লোকেশন|অবস্থান)(?::\s*https?:\/\/\S+|$)/;
const POLL = /^\u200e?POLL:\n/;
const MENTION = /@\u2068([^\u2069\n]{1,100})\u2069/g;

/** What a system line records, for the roster of who is in a group and for reports. */
export function systemAction(body: string): string {
  const actions: Array<[RegExp, string]> = [
    [/end-to-end|এন্ড-টু-এন্ড/i, "encryption"],
    [/created (?:this )?group|গ্রুপ তৈরি/, "created"],
    [/joined using/, "joined"],
    [/ added |^You were added| added you$| যোগ করেছেন/, "added"],
    [/ removed |বাদ দিয়েছেন/, "removed"],
    [/ left$|^You left$|চলে গেছেন/, "left"],
    [/changed the subject|changed the group name/, "subject"],
    [/group's icon/, "icon"],
    [/group description/, "description"],
    [/group's settings|changed the group settings/, "settings"],
    [/admin/, "admin"],
    [/security code/, "security-code"],
    [/phone number|changed to \+/, "number-changed"],
    [/disappearing messages|message timer/, "disappearing"],
    [/call/i, "call"],
    [/Waiting for this message/, "unavailable"],
  ];
  return actions.find(([pattern]) => pattern.test(body))?.[1] ?? "other";
}

export interface Markers {
  body: string;
  type: MessageType;
  edited: boolean;
  mediaFileName: string | null;
  mentions: string[];
}

/** Reads a message body: takes out WhatsApp's markers and says what they meant. */
export function readMarkers(raw: string): Markers {
  let body = raw;
  let edited = false;
  // Cheap checks on the last character first: most messages are plain text and skip every pattern.
  if (body.endsWith(">") && EDITED.test(body)) {
    edited = true;
    body = body.replace(EDITED, "");
  }
  if (body.length < 160 && DELETED.test(body)) return { body: "", type: "revoked", edited, mediaFileName: null, mentions: [] };

  let type: MessageType = "text";
  let mediaFileName: string | null = null;
  const newline = body.indexOf("\n");
  const firstLine = newline === -1 ? body : body.slice(0, newline);
  const caption = newline === -1 ? "" : body.slice(newline + 1);
  const last = firstLine.charCodeAt(firstLine.length - 1);
  const closes = last === 0x29 /* ) */ || last === 0x3e; /* > */
  const omits = last === 0x64 /* d */ || last === 0x3e || last === 0x6c; /* l of null */
  let match: RegExpExecArray | null;
  if (closes && (match = ANDROID_ATTACHED.exec(firstLine) ?? OLD_IOS_ATTACHED.exec(firstLine))) {
    mediaFileName = match[1]!;
    type = classifyMediaFile(mediaFileName);
    body = caption;
  } else if (closes && (match = IOS_ATTACHED.exec(firstLine))) {
    mediaFileName = match[1]!.trim();
    type = classifyMediaFile(mediaFileName);
    body = withTitle(firstLine.replace(match[0], ""), caption);
  } else if (omits && (match = OMITTED.exec(firstLine))) {
    type = omittedType(match[2] ?? match[3] ?? match[4]);
    body = withTitle(match[1] ?? "", caption);
  } else if (LOCATION.test(body)) {
    type = "location";
  } else if (POLL.test(body)) {
    type = "poll";
  }

  const mentions: string[] = [];
  if (body.includes("\u2068")) {
    body = body.replace(MENTION, (_, name: string) => {
      mentions.push(name);
      return `@${name}`;
    });
  }
  return { body: body.replace(/^\u200e/, ""), type, edited, mediaFileName, mentions };
}

/** A document keeps its title ("report.pdf • 4 pages <attached: …>"), without the page count: it is worth searching. */
function withTitle(title: string, caption: string): string {
  const clean = title.replace(/\u200e/g, "").replace(/\s*•\s*\d+\s*\S+\s*$/, "").trim();
  return [clean, caption].filter(Boolean).join("\n");
}

function omittedType(word: string | undefined): MessageType {
  switch (word?.toLowerCase()) {
    case "image":
    case "view once photo":
      return "image";
    case "video":
    case "gif":
    case "video note":
    case "view once video":
      return "video";
    case "audio":
    case "view once voice message":
      return "audio";
    case "sticker":
      return "sticker";
    case "document":
      return "document";
    case "contact card":
      return "contact";
    default:
      return "media";
  }
}

const EXTENSION_TYPES: Record<string, MessageType> = {
  jpg: "image",
  jpeg: "image",
  png: "image",
  gif: "video",
  heic: "image",
  mp4: "video",
  "3gp": "video",
  mov: "video",
  mkv: "video",
  opus: "voice",
  ogg: "audio",
  m4a: "audio",
  mp3: "audio",
  aac: "audio",
  amr: "audio",
  wav: "audio",
  webp: "sticker",
  vcf: "contact",
};

/** What kind of media a file name from an export names (IMG-…, PTT-…, 00000012-PHOTO-…, report.pdf). */
export function classifyMediaFile(fileName: string): MessageType {
  const upper = fileName.toUpperCase();
  if (upper.startsWith("PTT-") || (upper.includes("-AUDIO-") && upper.endsWith(".OPUS"))) return "voice";
  if (upper.startsWith("STK-") || upper.includes("-STICKER-")) return "sticker";
  if (upper.includes("-PHOTO-")) return "image";
  if (upper.includes("-VIDEO-") || upper.includes("-GIF-")) return "video";
  // Android names uploaded audio AUD-…, sometimes with the extension lost ("AUD-20190101-WA0000.").
  if (upper.includes("-AUDIO-") || upper.startsWith("AUD-")) return "audio";
  const extension = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  return EXTENSION_TYPES[extension] ?? "document";
}

const MIMETYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  heic: "image/heic",
  webp: "image/webp",
  mp4: "video/mp4",
  "3gp": "video/3gpp",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  opus: "audio/ogg; codecs=opus",
  ogg: "audio/ogg",
  m4a: "audio/mp4",
  mp3: "audio/mpeg",
  aac: "audio/aac",
  amr: "audio/amr",
  wav: "audio/wav",
  pdf: "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ppt: "application/vnd.ms-powerpoint",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  txt: "text/plain",
  csv: "text/csv",
  zip: "application/zip",
  vcf: "text/vcard",
};

/** The mimetype of a file name's extension, or application/octet-stream. */
export function mimetypeOf(fileName: string): string {
  const extension = fileName.slice(fileName.lastIndexOf(".") + 1).toLowerCase();
  return MIMETYPES[extension] ?? "application/octet-stream";
}

export interface SystemParticipants {
  /** Who did it ("X added Y": X), when the line names them. */
  actor: string | null;
  /** Who came in ("added", "joined") or went out ("left", "removed"). */
  joined: string[];
  left: string[];
}

const ADDED = /^(.+?) added (.+)$/;
const REMOVED = /^(.+?) removed (.+)$/;
const LEFT = /^(.+?) left$/;
const JOINED = /^(.+?) joined (?:using this group's invite link|from the community|via an invite link)$/;
const ADMIN_ACTION = /^(.+?) (?:created group|created this group|changed the subject|changed the group name|changed this group's|changed the group description|deleted this group's icon|reset this group's invite link|pinned a message|turned (?:on|off) disappearing)/;
const BANGLA_ADDED = /^(.+?) (.+?)(?:-?কে)? যোগ করেছেন$/;
const BANGLA_LEFT = /^(.+?) চলে গেছেন$/;
const BANGLA_REMOVED = /^(.+?) (.+?)(?:-?কে)? বাদ দিয়েছেন$/;

/**
 * Who a system line says came into or left the group, and who did it (an admin: only admins add,
 * remove and, in official groups, change the group's name). Names are as the export shows them;
 * "You" is whoever exported the chat, who is not named.
 */
export function systemParticipants(body: string): SystemParticipants {
  const text = body.replace(/[\u200e\u202a-\u202e]/g, "").trim();
  const names = (list: string) =>
    list
      .split(/, | and | ও |, এবং | এবং /)
      .map((name) => name.trim())
      .filter((name) => name && !/^you$/i.test(name) && name !== "আপনি" && name !== "আপনাকে");
  const actorOf = (name: string) => (/^you$/i.test(name) || name === "আপনি" ? null : name);
  let match: RegExpExecArray | null;
  if ((match = ADDED.exec(text)) ?? (match = BANGLA_ADDED.exec(text))) return { actor: actorOf(match[1]!), joined: names(match[2]!), left: [] };
  if ((match = REMOVED.exec(text)) ?? (match = BANGLA_REMOVED.exec(text))) return { actor: actorOf(match[1]!), joined: [], left: names(match[2]!) };
  if ((match = LEFT.exec(text)) ?? (match = BANGLA_LEFT.exec(text))) return { actor: null, joined: [], left: names(match[1]!) };
  if ((match = JOINED.exec(text))) return { actor: null, joined: names(match[1]!), left: [] };
  if ((match = ADMIN_ACTION.exec(text))) return { actor: actorOf(match[1]!), joined: [], left: [] };
  return { actor: null, joined: [], left: [] };
}
