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
 * queries, whatever the count: the messages with their chat, sender as the roster names them and
 * directive flag, then the edits, deletions and media of all of them at once. (One subquery per row and
 * column cost 2–3 ms for a page of 50: each sorted its events in a temporary b-tree of its own.) The
 * messages are read as arrays of values with the sender already worked out: a page of 50 is read on
 * every search, and 24 named values a row cost twice the query.
 */
export function readMessageViews(archive: Archive, ids: number[]): MessageView[] {
  if (ids.length === 0) return [];
  const statements = statementsOf(archive);
  const list = JSON.stringify(ids);
  const rows = new Map<number, ViewRow>();
  for (const row of statements.messages.rows({ ids: list }) as ViewRow[]) rows.set(row[0], row);
  const events = new Map<number, ArchivedEvents>();
  // Oldest first: the last edit wins, the first deletion and the first file a later zip brought count.
  for (const event of statements.events.all({ ids: list })) {
    const found = events.get(event.message_id) ?? { deleted: false, editedBody: null, media: null };
    if (event.kind === "edit") found.editedBody = event.body;
    else if (event.kind === "delete") found.deleted = true;
    else found.media ??= event.data;
    events.set(event.message_id, found);
  }
  const views: MessageView[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (row) views.push(toMessageView(row, events.get(id) ?? NO_EVENTS));
  }
  return views;
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

const NO_EVENTS: ArchivedEvents = { deleted: false, editedBody: null, media: null };

/** A row of `selectMessages`, its values in the order selected. */
type ViewRow = [
  id: number,
  seq: number,
  hash: string,
  at: number,
  body: string,
  type: string,
  edited: number,
  senderId: string | null,
  senderPhone: string | null,
  senderName: string,
  senderDesignation: string | null,
  shownAs: string,
  mediaSha256: string | null,
  mediaMimetype: string | null,
  mediaSize: number | null,
  mediaFileName: string | null,
  chat: string,
  directive: number | null,
];

/** One message as a view (its sender was worked out by `selectMessages`). */
function toMessageView(row: ViewRow, events: ArchivedEvents): MessageView {
  const [id, seq, hash, at, body, type, edited, senderId, phone, name, designation, shownAs, sha256, mimetype, size, fileName, chat, directive] = row;
  return {
    id,
    chat,
    sender: { id: senderId, phone, name, designation, shownAs },
    at,
    body,
    type,
    directive: directive === 1,
    deleted: type === "revoked" || events.deleted,
    edited: edited === 1 || events.editedBody !== null,
    editedBody: events.editedBody,
    media:
      sha256 === null && events.media !== null
        ? (JSON.parse(events.media) as MessageView["media"])
        : fileName !== null || sha256 !== null
          ? { sha256, mimetype, size, fileName }
          : null,
    seq,
    hash,
  };
}

/** The two queries of readMessageViews, built once per archive; `ids` is a JSON array. */
const statementsOf = oncePerArchive((archive) => {
  const among = (column: string, ids: string) => sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${ids}))`;
  return {
    messages: archive.prepare<{ ids: string }, unknown>((param) => selectMessages(archive).where(among("m.id", param("ids")))),
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

/**
 * A message with its chat, its sender and its directive flag (the values of a ViewRow, in order). The
 * archived phone decides who the roster says it was (`r`); only a sender archived without a phone (a
 * saved name in an export) is looked up as the person the name was resolved to (`p`), whose phone a
 * later roster may have supplied. A sender the roster does not hold is shown by the name archived.
 */
function selectMessages(archive: Archive) {
  const byPhone = sql`m.sender_phone IS NOT NULL`;
  const rostered = (column: "name" | "designation") =>
    sql`CASE WHEN ${byPhone} THEN CASE WHEN r.in_roster = 1 THEN ${sql.ref(`r.${column}`)} END ELSE CASE WHEN p.in_roster = 1 THEN ${sql.ref(`p.${column}`)} END END`;
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
      sql<string | null>`coalesce(m.sender_whatsapp_id, CASE WHEN ${byPhone} THEN NULL ELSE p.whatsapp_id END)`.as("sender_id"),
      sql<string | null>`coalesce(m.sender_phone, p.phone)`.as("sender_phone"),
      sql<string>`coalesce(${rostered("name")}, m.sender_name)`.as("sender_name"),
      sql<string | null>`${rostered("designation")}`.as("sender_designation"),
      "m.sender_name as shown_as",
      "m.media_sha256",
      "m.media_mimetype",
      "m.media_size",
      "m.media_file_name",
      "c.name as chat_name",
      "d.directive as directive_flag",
    ]);
}
