import type { ExpressionBuilder } from "kysely";
import type { MessageEventKind } from "../domain/message.js";
import type { Archive } from "./open-archive.js";
import type { ArchiveSchema } from "./schema.js";

/** A message as record keepers see it (DESIGN.md's `message` JSON shape, with a few additions). */
export interface MessageView {
  id: number;
  chat: string;
  /**
   * Who sent it. `id`, `phone` and `shownAs` are what was archived (and hashed); `name` and `designation`
   * come from the roster, found by the archived phone.
   */
  sender: { id: string | null; phone: string | null; name: string; designation: string | null; shownAs: string };
  /** UTC milliseconds; the command line prints ISO 8601 with the office's offset. */
  at: number;
  body: string;
  type: string;
  directive: boolean;
  deleted: boolean;
  edited: boolean;
  /** The words after the last edit, when the message was edited. */
  editedBody: string | null;
  media: { sha256: string | null; mimetype: string | null; size: number | null; fileName: string | null } | null;
  /** Its place and hash in the chain: what an export carries so the row can be checked against the archive. */
  seq: number;
  hash: string;
}

type From = ExpressionBuilder<
  ArchiveSchema & { m: ArchiveSchema["messages"]; c: ArchiveSchema["chats"]; p: ArchiveSchema["people"]; d: ArchiveSchema["directives"] },
  "m" | "c" | "p"
>;

/** The query every message view is read with; callers add their conditions and order. */
export function selectMessageViews(archive: Archive) {
  return archive.db
    .selectFrom("messages as m")
    .innerJoin("chats as c", "c.id", "m.chat_id")
    .innerJoin("people as p", "p.id", "m.sender_id")
    .leftJoin("people as r", "r.phone", "m.sender_phone")
    .leftJoin("directives as d", "d.message_id", "m.id")
    .select([
      "m.id",
      "m.seq",
      "m.hash",
      "m.at",
      "m.body",
      "m.type",
      "m.edited",
      "m.whatsapp_id",
      "m.sender_whatsapp_id",
      "m.sender_phone",
      "m.sender_name",
      "m.media_sha256",
      "m.media_mimetype",
      "m.media_size",
      "m.media_file_name",
      "c.name as chat_name",
      "p.whatsapp_id as person_whatsapp_id",
      "p.phone as person_phone",
      "p.name as person_name",
      "p.designation as person_designation",
      "p.in_roster as person_in_roster",
      "r.name as roster_name",
      "r.designation as roster_designation",
      "r.in_roster as roster_in_roster",
      "d.directive as directive_flag",
    ])
    .select((eb: From) => [
      firstEvent(eb, "delete", "body").as("deleted_event"),
      lastEdit(eb).as("edited_body"),
      firstEvent(eb, "media", "data").as("media_event"),
    ]);
}

/** The words of a message's last edit (`m` is the message), for every query that reads what a message says now. */
export function lastEdit(eb: ExpressionBuilder<ArchiveSchema & { m: ArchiveSchema["messages"] }, "m">) {
  return eb.selectFrom("message_events as e").whereRef("e.message_id", "=", "m.id").where("e.kind", "=", "edit").select("e.body").orderBy("e.seq", "desc").limit(1);
}

/** A column of the message's first event of a kind: its deletion, the file a later zip brought. */
function firstEvent(eb: From, kind: MessageEventKind, column: "body" | "data") {
  return eb
    .selectFrom("message_events as e")
    .select(`e.${column}`)
    .whereRef("e.message_id", "=", "m.id")
    .where("e.kind", "=", kind)
    .orderBy("e.seq")
    .limit(1);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectMessageViews>["executeTakeFirstOrThrow"]>>;

/**
 * One row of selectMessageViews as a view. The archived phone decides who the roster says it was;
 * only a sender archived without a phone (a saved name in an export) is looked up as the person the
 * name was resolved to, whose phone a later roster may have supplied.
 */
export function toMessageView(row: ViewRow): MessageView {
  const byPhone = row.sender_phone !== null;
  const rostered = byPhone ? row.roster_in_roster === 1 : row.person_in_roster === 1;
  return {
    id: row.id,
    chat: row.chat_name,
    sender: {
      id: row.sender_whatsapp_id ?? (byPhone ? null : row.person_whatsapp_id),
      phone: row.sender_phone ?? row.person_phone,
      name: (rostered ? (byPhone ? row.roster_name : row.person_name) : null) ?? row.sender_name,
      designation: rostered ? (byPhone ? row.roster_designation : row.person_designation) : null,
      shownAs: row.sender_name,
    },
    at: row.at,
    body: row.body,
    type: row.type,
    directive: row.directive_flag === 1,
    deleted: row.type === "revoked" || row.deleted_event !== null,
    edited: row.edited === 1 || row.edited_body !== null,
    editedBody: row.edited_body,
    media:
      row.media_sha256 === null && row.media_event !== null
        ? (JSON.parse(row.media_event) as MessageView["media"])
        : row.media_file_name !== null || row.media_sha256 !== null
          ? { sha256: row.media_sha256, mimetype: row.media_mimetype, size: row.media_size, fileName: row.media_file_name }
          : null,
    seq: row.seq,
    hash: row.hash,
  };
}

