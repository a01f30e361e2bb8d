import type { AcknowledgementHow } from "../domain/track-directives.js";
import { lastEdit } from "./message-views.js";
import type { Archive } from "./open-archive.js";

export interface PersonView {
  phone: string | null;
  name: string;
  designation: string | null;
}

export interface AnswerView extends PersonView {
  at: number;
  how: AcknowledgementHow;
  /** The message that acknowledged or reported done (null for a reaction). */
  message: number | null;
}

/** A directive as record keepers see it (DESIGN.md's `directive` JSON shape, with a few additions). */
export interface DirectiveView {
  id: number;
  chat: string;
  at: number;
  issuer: PersonView;
  body: string;
  /** The words after the last edit, when the directive was edited (tracking read these). */
  editedBody: string | null;
  deadline: number | null;
  /** Only a day was given ("আগামীকালের মধ্যে"): the deadline is that day's end. */
  deadlineAllDay: boolean;
  urgent: boolean;
  decision: boolean;
  confidence: number;
  cues: string[];
  /** A superior's or record keeper's correction: true or false, or null when the detector decided. */
  marked: boolean | null;
  expected: PersonView[];
  acknowledged: AnswerView[];
  done: AnswerView[];
  pending: PersonView[];
}

export interface DirectiveFilters {
  chatId?: number;
  /** Only directives someone still owes an acknowledgement. */
  pendingOnly?: boolean;
  messageIds?: number[];
  /** At most this many, the oldest first. */
  limit?: number;
}

/** Directives with who was expected, who acknowledged (when, how), who reported done and who still owes, oldest first. */
export function directiveViews(archive: Archive, filters: DirectiveFilters): DirectiveView[] {
  let select = archive.db
    .selectFrom("directives as d")
    .innerJoin("messages as m", "m.id", "d.message_id")
    .innerJoin("chats as c", "c.id", "d.chat_id")
    .innerJoin("people as p", "p.id", "d.issuer_id")
    .where("d.directive", "=", 1)
    .select([
      "d.message_id",
      "d.at",
      "d.deadline",
      "d.deadline_all_day",
      "d.urgent",
      "d.decision",
      "d.confidence",
      "d.cues",
      "d.marked",
      "m.body",
      "c.name as chat",
      "p.phone",
      "p.name",
      "p.designation",
    ])
    .select((eb) => lastEdit(eb).as("edited_body"));
  if (filters.chatId !== undefined) select = select.where("d.chat_id", "=", filters.chatId);
  if (filters.messageIds) select = select.where("d.message_id", "in", filters.messageIds.length > 0 ? filters.messageIds : [-1]);
  if (filters.pendingOnly) {
    select = select.where((eb) =>
      eb.exists(eb.selectFrom("directive_people as o").select("o.person_id").whereRef("o.directive_id", "=", "d.message_id").where("o.acknowledged_at", "is", null)),
    );
  }
  const ordered = select.orderBy("d.at").orderBy("d.message_id");
  const rows = archive.all(filters.limit !== undefined ? ordered.limit(filters.limit) : ordered);
  if (rows.length === 0) return [];

  // In slices: SQLite takes at most 32,766 values in one statement, and an office may owe more.
  const people: PersonRow[] = [];
  for (let i = 0; i < rows.length; i += 10_000) {
    const ids = rows.slice(i, i + 10_000).map((row) => row.message_id);
    people.push(...archive.all(peopleOf(archive).where("o.directive_id", "in", ids)));
  }
  people.sort((a, b) => a.name.localeCompare(b.name));
  const byDirective = new Map<number, typeof people>();
  for (const person of people) {
    const list = byDirective.get(person.directive_id) ?? [];
    list.push(person);
    byDirective.set(person.directive_id, list);
  }
  return rows.map((row) => {
    const expected = byDirective.get(row.message_id) ?? [];
    const person = (p: { phone: string | null; name: string; designation: string | null }): PersonView => ({ phone: p.phone, name: p.name, designation: p.designation });
    return {
      id: row.message_id,
      chat: row.chat,
      at: row.at,
      issuer: person(row),
      body: row.body,
      editedBody: row.edited_body,
      deadline: row.deadline,
      deadlineAllDay: row.deadline_all_day === 1,
      urgent: row.urgent === 1,
      decision: row.decision === 1,
      confidence: row.confidence,
      cues: JSON.parse(row.cues) as string[],
      marked: row.marked === null ? null : row.marked === 1,
      expected: expected.map(person),
      acknowledged: expected
        .filter((p) => p.acknowledged_at !== null)
        .sort((a, b) => a.acknowledged_at! - b.acknowledged_at!)
        .map((p) => ({ ...person(p), at: p.acknowledged_at!, how: p.acknowledged_how as AcknowledgementHow, message: p.acknowledged_message_id })),
      done: expected
        .filter((p) => p.done_at !== null)
        .sort((a, b) => a.done_at! - b.done_at!)
        .map((p) => ({
          ...person(p),
          at: p.done_at!,
          // A report that also acknowledged was read the same way; a later one was a message.
          how: p.done_message_id === p.acknowledged_message_id ? (p.acknowledged_how as AcknowledgementHow) : ("message" as const),
          message: p.done_message_id,
        })),
      pending: expected.filter((p) => p.acknowledged_at === null).map(person),
    };
  });
}

function peopleOf(archive: Archive) {
  return archive.db
    .selectFrom("directive_people as o")
    .innerJoin("people as p", "p.id", "o.person_id")
    .select([
      "o.directive_id",
      "o.acknowledged_at",
      "o.acknowledged_how",
      "o.acknowledged_message_id",
      "o.done_at",
      "o.done_message_id",
      "p.phone",
      "p.name",
      "p.designation",
    ]);
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof peopleOf>["executeTakeFirstOrThrow"]>>;

export interface Detection {
  directive: boolean;
  detected: boolean;
  marked: boolean | null;
  score: number;
  confidence: number;
  cues: string[];
}

/** Why tracking decided a message is or is not a directive (only for messages a superior sent or someone marked). */
export function detectionOf(archive: Archive, messageId: number): Detection | null {
  const row = archive.get(
    archive.db.selectFrom("directives").select(["directive", "detected", "marked", "score", "confidence", "cues"]).where("message_id", "=", messageId),
  );
  if (!row) return null;
  return {
    directive: row.directive === 1,
    detected: row.detected === 1,
    marked: row.marked === null ? null : row.marked === 1,
    score: row.score,
    confidence: row.confidence,
    cues: JSON.parse(row.cues) as string[],
  };
}

/** The directives a message acknowledged or reported done. */
export function answeredBy(archive: Archive, messageId: number): Array<{ directive: number; kind: "acknowledged" | "done" }> {
  const rows = archive.all(
    archive.db
      .selectFrom("directive_people")
      .select(["directive_id", "acknowledged_message_id", "done_message_id"])
      .where((eb) => eb.or([eb("acknowledged_message_id", "=", messageId), eb("done_message_id", "=", messageId)])),
  );
  return rows.map((row) => ({ directive: row.directive_id, kind: row.done_message_id === messageId ? "done" : "acknowledged" }));
}
