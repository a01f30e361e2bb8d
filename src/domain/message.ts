/** What a message carries, in the words WhatsApp uses. */
export const MESSAGE_TYPES = [
  "text",
  "image",
  "video",
  "audio",
  "voice",
  "document",
  "sticker",
  "contact",
  "location",
  "poll",
  "media",
  "revoked",
  "system",
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Kinds of event that change nothing already archived but are archived beside it. */
export type MessageEventKind = "edit" | "delete" | "reaction" | "media" | "system" | "import";

export interface Person {
  id: number;
  whatsappId: string | null;
  phone: string | null;
  name: string;
  designation: string | null;
  roles: Role[];
}

export type Role = "superior" | "officer" | "recordkeeper";
export const ROLES: readonly Role[] = ["superior", "officer", "recordkeeper"];

/** A stored file referenced by a message: its content address and what WhatsApp said of it. */
export interface MediaReference {
  sha256: string | null;
  mimetype: string | null;
  size: number | null;
  fileName: string | null;
}
