import type { MessageType } from "./message.js";

/**
 * What the live bot hears, in our words rather than the library's: one adapter (src/whatsapp/) turns
 * whatsapp-web.js objects into these, and everything after it (archive, tracking, commands) reads only
 * these. Times are UTC milliseconds.
 */

/** A WhatsApp user: their id (…@c.us, or …@lid when WhatsApp would not say the number), phone and shown name. */
export interface LivePerson {
  whatsappId: string;
  /** E.164, when known; an @lid sender is mapped to the phone before it gets here when WhatsApp allows. */
  phone: string | null;
  name: string;
}

export interface LiveChat {
  /** The group id (…@g.us), or the person's id for a direct message. */
  whatsappId: string;
  name: string;
  isGroup: boolean;
}

/** An attachment WhatsApp announced with a message; the file itself is fetched after the message is archived. */
export interface LiveMedia {
  mimetype: string | null;
  fileName: string | null;
  size: number | null;
  /** Fetches the file's bytes; rejects when WhatsApp no longer has them (the caller retries and records the outcome). */
  download(): Promise<{ data: Buffer; mimetype: string; fileName: string | null }>;
}

export interface LiveMessage {
  kind: "message";
  chat: LiveChat;
  /** WhatsApp's id of the message (`id._serialized`): the same whichever event or backfill brings it. */
  id: string;
  sender: LivePerson;
  fromMe: boolean;
  at: number;
  body: string;
  type: MessageType;
  quotedId: string | null;
  mentions: LivePerson[];
  forwarded: boolean;
  /** The body is the edited one (seen in backfill): the words it had first were never seen. */
  edited: { at: number } | null;
  media: LiveMedia | null;
}

export interface LiveEdit {
  kind: "edit";
  chat: LiveChat;
  /** The message edited. */
  messageId: string;
  sender: LivePerson;
  at: number;
  body: string;
}

export interface LiveDeletion {
  kind: "deletion";
  chat: LiveChat;
  /** The message deleted for everyone. */
  messageId: string;
  /** Who deleted it, when WhatsApp says. */
  sender: LivePerson | null;
  at: number;
}

export interface LiveReaction {
  kind: "reaction";
  chat: LiveChat;
  messageId: string;
  sender: LivePerson;
  at: number;
  /** Empty when the reaction was taken back. */
  emoji: string;
}

export type MembershipAction = "joined" | "left" | "promoted" | "demoted" | "subject" | "description" | "settings" | "other";

export interface LiveMembership {
  kind: "membership";
  chat: LiveChat;
  /** WhatsApp's id of the group notification. */
  id: string;
  action: MembershipAction;
  /** Who did it (the admin who added, or the person who left), when WhatsApp says. */
  actor: LivePerson | null;
  /** Who was added, removed, promoted or demoted. */
  people: LivePerson[];
  at: number;
  /** The new subject or description, where that is what changed. */
  body: string;
}

export type LiveEvent = LiveMessage | LiveEdit | LiveDeletion | LiveReaction | LiveMembership;

/** A watched group as WhatsApp lists it now. */
export interface LiveGroup {
  chat: LiveChat;
  participants: Array<{ person: LivePerson; admin: boolean }>;
}

/** Something the bot says: in a chat, perhaps quoting a message and mentioning people, perhaps with a file. */
export interface OutgoingMessage {
  chatId: string;
  text: string;
  quotedId?: string;
  mentions?: string[];
  document?: { fileName: string; mimetype: string; data: Buffer };
}
