import type { Person } from "../domain/message.js";
import { UserError } from "../user-error.js";
import { appendToArchive } from "./append-to-archive.js";
import type { Archive } from "./open-archive.js";

/**
 * A superior's or record keeper's correction of the detector: a `mark` event in the hash chain, never an
 * edit, so who corrected what, and when, stays on record. Nothing is added when the message's last
 * correction already says the same. `urgent` marks an urgent directive (nudged sooner, any day).
 */
export function markMessage(
  archive: Archive,
  now: () => number,
  messageId: number,
  directive: boolean,
  by: Person,
  via: "cli" | "live" = "cli",
  urgent = false,
): { changed: boolean; seq: number | null } {
  const message = archive.get(
    archive.db
      .selectFrom("messages as m")
      .innerJoin("chats as c", "c.id", "m.chat_id")
      .select(["m.id", "m.seq", "c.id as chat_id", "c.key", "c.name"])
      .where("m.id", "=", messageId),
  );
  if (!message) throw new UserError((t) => t.messageNotFound(messageId));
  const last = archive.get(
    archive.db.selectFrom("message_events").select("data").where("message_id", "=", messageId).where("kind", "=", "mark").orderBy("seq", "desc").limit(1),
  );
  const said = last ? (JSON.parse(last.data) as { directive?: boolean; urgent?: boolean }) : null;
  if (said && said.directive === directive && (said.urgent === true) === urgent) return { changed: false, seq: null };
  const row = appendToArchive(archive, now, (chain) =>
    chain.event({
      chat: { id: message.chat_id, key: message.key, name: message.name },
      message: { id: message.id, seq: message.seq },
      kind: "mark",
      whatsappId: null,
      importKey: null,
      source: via,
      importId: null,
      actor: by,
      actorName: by.name,
      at: now(),
      body: "",
      data: urgent ? { directive, urgent } : { directive },
    }),
  );
  return { changed: true, seq: row?.seq ?? null };
}
