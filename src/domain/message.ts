/** What a message carries, in the words WhatsApp uses. */
export type MessageType =
  | "text"
  | "image"
  | "video"
  | "audio"
  | "voice"
  | "document"
  | "sticker"
  | "contact"
  | "location"
  | "poll"
  | "media"
  | "revoked"
  | "system";

/**
 * Kinds of event that change nothing already archived but are archived beside it. `media-failed` records a
 * file WhatsApp would not give; `audit` records a search, an export or a command, and whether it was allowed;
 * `outgoing` a nudge, reminder, escalation or digest the bot decided to send (its words and whom it addressed).
 */
export type MessageEventKind = "edit" | "delete" | "reaction" | "media" | "media-failed" | "system" | "import" | "mark" | "audit" | "outgoing";

export interface Person {
  id: number;
  whatsappId: string | null;
  phone: string | null;
  name: string;
  designation: string | null;
  roles: Role[];
}

export type Role = "superior" | "officer" | "recordkeeper";

/** A stored file referenced by a message: its content address and what WhatsApp said of it. */
export interface MediaReference {
  sha256: string | null;
  mimetype: string | null;
  size: number | null;
  fileName: string | null;
}
