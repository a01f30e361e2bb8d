import type { Generated } from "kysely";

/** The archive's tables, as kysely sees them. Times are UTC milliseconds. */
export interface ArchiveSchema {
  chats: ChatTable;
  people: PersonTable;
  person_names: PersonNameTable;
  imports: ImportTable;
  messages: MessageTable;
  message_events: MessageEventTable;
  directives: DirectiveTable;
  directive_people: DirectivePersonTable;
  tracking: TrackingTable;
  message_aliases: MessageAliasTable;
  follow_ups: FollowUpTable;
  outbox: OutboxTable;
}

export interface ChatTable {
  id: Generated<number>;
  /** Never changes: a WhatsApp group id (…@g.us) or `name:` + the name a chat was first imported under. */
  key: string;
  name: string;
  whatsapp_id: string | null;
  created_at: number;
}

export interface PersonTable {
  id: Generated<number>;
  whatsapp_id: string | null;
  phone: string | null;
  name: string;
  designation: string | null;
  /** Roster roles joined by `;` (superior, officer, recordkeeper); empty when not on the roster. */
  roles: string;
  in_roster: number;
  created_at: number;
  updated_at: number;
}

export interface PersonNameTable {
  /** nameKey() of a display name: case- and space-insensitive. */
  name_key: string;
  person_id: number;
  name: string;
}

export interface ImportTable {
  id: Generated<number>;
  file_name: string;
  /** sha256 of the chat text; the text itself is kept in the media store under that address. */
  file_sha256: string;
  chat_id: number;
  imported_at: number;
  date_order: string;
  time_zone: string;
  messages_found: number;
  messages_added: number;
  events_added: number;
  /** The chain's last row when the import finished; verify checks it is still there. */
  head_seq: number;
  head_hash: string;
}

/** Columns every chained row carries: its place in the one chain of the database and the hashes. */
export interface ChainColumns {
  seq: number;
  prev_hash: string;
  hash: string;
}

export interface MessageTable extends ChainColumns {
  id: Generated<number>;
  chat_id: number;
  whatsapp_id: string | null;
  import_key: string | null;
  source: "live" | "import";
  import_id: number | null;
  sender_id: number;
  sender_whatsapp_id: string | null;
  sender_phone: string | null;
  sender_name: string;
  at: number;
  archived_at: number;
  body: string;
  type: string;
  quoted_whatsapp_id: string | null;
  /** JSON array of {name, phone} as the message named them. */
  mentions: string;
  forwarded: number;
  edited: number;
  media_sha256: string | null;
  media_mimetype: string | null;
  media_size: number | null;
  media_file_name: string | null;
}

export interface MessageEventTable extends ChainColumns {
  id: Generated<number>;
  chat_id: number;
  /** The message an edit, deletion or reaction is about; null for group events. */
  message_id: number | null;
  kind: string;
  whatsapp_id: string | null;
  import_key: string | null;
  source: "live" | "import" | "cli";
  import_id: number | null;
  actor_id: number | null;
  actor_whatsapp_id: string | null;
  actor_phone: string | null;
  actor_name: string | null;
  at: number;
  archived_at: number;
  /** New text for an edit, the emoji of a reaction, the words of a system line. */
  body: string;
  /** JSON object with what the kind needs (e.g. {action: "added"}). */
  data: string;
}

/** What tracking concluded of a message a superior sent or someone marked (not chained; worked out again). */
export interface DirectiveTable {
  message_id: number;
  chat_id: number;
  issuer_id: number;
  at: number;
  /** The conclusion: a mark when there is one, else the detector's. */
  directive: number;
  detected: number;
  marked: number | null;
  score: number;
  confidence: number;
  /** JSON array of the cues that fired ("obligation: পাঠাতে হবে"). */
  cues: string;
  urgent: number;
  decision: number;
  deadline: number | null;
  deadline_all_day: number | null;
  deadline_text: string | null;
}

/** One officer expected to acknowledge one directive, and what they did. */
export interface DirectivePersonTable {
  directive_id: number;
  person_id: number;
  chat_id: number;
  acknowledged_at: number | null;
  acknowledged_how: string | null;
  acknowledged_message_id: number | null;
  acknowledged_event_seq: number | null;
  done_at: number | null;
  done_message_id: number | null;
}

/** The chain's head and the inputs (roster, lexicons, zone) when a chat's directives were last worked out. */
export interface TrackingTable {
  chat_id: number;
  through_seq: number;
  inputs: string;
  tracked_at: number;
}

/** A WhatsApp message id for a message an export archived first. */
export interface MessageAliasTable {
  whatsapp_id: string;
  message_id: number;
}

/** When a live directive is next worth a look by the follow-up scan (null: nothing more will be sent). */
export interface FollowUpTable {
  directive_id: number;
  chat_id: number;
  due_at: number | null;
  started_at: number;
}

export type OutgoingKind = "nudge" | "reminder" | "escalation" | "digest";

/** One message the bot decided to send, from the moment it was decided until WhatsApp took it. */
export interface OutboxTable {
  id: Generated<number>;
  kind: OutgoingKind;
  /** The group it is about (for a digest, the chat of direct requests). */
  chat_id: number;
  directive_id: number | null;
  /** The WhatsApp chat it goes to: the group, or a person for a direct message. */
  send_to: string;
  /** JSON array of the person ids it addresses (nudged, reminded, or named in an escalation). */
  people: string;
  text: string;
  quoted_whatsapp_id: string | null;
  /** JSON array of the WhatsApp ids it @mentions. */
  mentions: string;
  urgent: number;
  /** The local date a digest is for: one per issuer per day. */
  digest_day: string | null;
  written_at: number;
  /** The chained `outgoing` event that records it. */
  written_seq: number;
  /** written → sent, or skipped (nobody left to remind), or failed (given up after many attempts). */
  status: "written" | "sent" | "skipped" | "failed";
  attempts: number;
  sent_at: number | null;
  sent_whatsapp_id: string | null;
  last_error: string | null;
}
