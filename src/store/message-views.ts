import { type ExpressionBuilder, sql } from "kysely";
import type { MessageEventKind } from "../domain/message.js";
import { type Archive, oncePerArchive } from "./open-archive.js";
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

/**
 * The views of these messages, in the order of `ids` (an id not archived is left out). A few set-based
 * queries, whatever the count: the messages with their chat, sender, roster entry and directive flag,
 * then the edits, deletions and media of all of them at once. (One subquery per row and column cost
 * 2–3 ms for a page of 50: each sorted its events in a temporary b-tree of its own.)
 */
export function readMessageViews(archive: Archive, ids: number[]): MessageView[] {
  if (ids.length === 0) return [];
  const statements = statementsOf(archive);
  const list = JSON.stringify(ids);
  const rows = new Map(statements.messages.all({ ids: list }).map((row) => [row.id, row]));
  const events = new Map<number, ArchivedEvents>();
  // Oldest first: the last edit wins, the first deletion and the first file a later zip brought count.
  for (const event of statements.events.all({ ids: list })) {
    const found = events.get(event.message_id) ?? { deleted: false, editedBody: null, media: null };
    if (event.kind === "edit") found.editedBody = event.body;
    else if (event.kind === "delete") found.deleted = true;
    else found.media ??= event.data;
    events.set(event.message_id, found);
  }
  return ids.flatMap((id) => {
    const row = rows.get(id);
    return row ? [toMessageView(row, events.get(id) ?? { deleted: false, editedBody: null, media: null })] : [];
  });
}

/** The words of a message's last edit (`m` is the message), for every query that reads what a message says now. */
export function lastEdit(eb: ExpressionBuilder<ArchiveSchema & { m: ArchiveSchema["messages"] }, "m">) {
  return eb.selectFrom("message_events as e").whereRef("e.message_id", "=", "m.id").where("e.kind", "=", "edit").select("e.body").orderBy("e.seq", "desc").limit(1);
}

/** What later events say about a message: deleted, its last edit, a file a later zip brought (JSON). */
interface ArchivedEvents {
  deleted: boolean;
  editedBody: string | null;
  media: string | null;
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectMessages>["executeTakeFirstOrThrow"]>>;

/**
 * One message as a view. The archived phone decides who the roster says it was; only a sender
 * archived without a phone (a saved name in an export) is looked up as the person the name was
 * resolved to, whose phone a later roster may have supplied.
 */
function toMessageView(row: ViewRow, events: ArchivedEvents): MessageView {
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
    deleted: row.type === "revoked" || events.deleted,
    edited: row.edited === 1 || events.editedBody !== null,
    editedBody: events.editedBody,
    media:
      row.media_sha256 === null && events.media !== null
        ? (JSON.parse(events.media) as MessageView["media"])
        : row.media_file_name !== null || row.media_sha256 !== null
          ? { sha256: row.media_sha256, mimetype: row.media_mimetype, size: row.media_size, fileName: row.media_file_name }
          : null,
    seq: row.seq,
    hash: row.hash,
  };
}

/** The two queries of readMessageViews, built once per archive; `ids` is a JSON array. */
const statementsOf = oncePerArchive((archive) => {
  const among = (column: string, ids: string) => sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${ids}))`;
  return {
    messages: archive.prepare<{ ids: string }, ViewRow>((param) => selectMessages(archive).where(among("m.id", param("ids")))),
    events: archive.prepare<{ ids: string }, { message_id: number; kind: MessageEventKind; body: string; data: string }>((param) =>
      archive.db
        .selectFrom("message_events")
        .select(["message_id", "kind", "body", "data"])
        .where(among("message_id", param("ids")))
        .where("kind", "in", ["edit", "delete", "media"])
        .orderBy("seq")
        .$castTo<{ message_id: number; kind: MessageEventKind; body: string; data: string }>(),
    ),
  };
});

/** A message with its chat, the person it was resolved to, the roster entry of its archived phone, and its directive flag. */
function selectMessages(archive: Archive) {
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
    ]);
}
