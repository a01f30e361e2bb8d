import { UserError } from "../user-error.js";
import { type MessageView, readMessageViews } from "./message-views.js";
import type { Archive } from "./open-archive.js";

export interface MessageDetail extends MessageView {
  whatsappId: string | null;
  source: string;
  importFile: string | null;
  archivedAt: number;
  quotedWhatsappId: string | null;
  forwarded: boolean;
  mentions: Array<{ name: string; phone: string | null }>;
  edits: Array<{ at: number; body: string; by: string | null }>;
  deletion: { at: number; by: string | null } | null;
  reactions: Array<{ at: number; emoji: string; by: string | null }>;
  replies: MessageView[];
}

/** One message with everything archived about it: edits, deletion, reactions and replies. */
export function showMessage(archive: Archive, id: number): MessageDetail {
  const [view] = readMessageViews(archive, [id]);
  if (!view) throw new UserError((t) => t.messageNotFound(id));
  const extra = archive.get(
    archive.db
      .selectFrom("messages as m")
      .leftJoin("imports as i", "i.id", "m.import_id")
      .select(["m.whatsapp_id", "m.source", "i.file_name", "m.archived_at", "m.quoted_whatsapp_id", "m.forwarded", "m.mentions"])
      .where("m.id", "=", id),
  )!;
  const events = archive.all(
    archive.db
      .selectFrom("message_events")
      .select(["kind", "at", "body", "actor_name", "actor_phone"])
      .where("message_id", "=", id)
      .orderBy("seq"),
  );
  const by = (event: { actor_name: string | null; actor_phone: string | null }) => event.actor_name ?? event.actor_phone;
  const deletion = events.find((event) => event.kind === "delete");
  const replies = extra.whatsapp_id
    ? readMessageViews(
        archive,
        archive.all(archive.db.selectFrom("messages").select("id").where("quoted_whatsapp_id", "=", extra.whatsapp_id).orderBy("at").orderBy("id")).map((reply) => reply.id),
      )
    : [];
  return {
    ...view,
    whatsappId: extra.whatsapp_id,
    source: extra.source,
    importFile: extra.file_name,
    archivedAt: extra.archived_at,
    quotedWhatsappId: extra.quoted_whatsapp_id,
    forwarded: extra.forwarded === 1,
    mentions: JSON.parse(extra.mentions) as MessageDetail["mentions"],
    edits: events.filter((event) => event.kind === "edit").map((event) => ({ at: event.at, body: event.body, by: by(event) })),
    deletion: deletion ? { at: deletion.at, by: by(deletion) } : null,
    reactions: events.filter((event) => event.kind === "reaction").map((event) => ({ at: event.at, emoji: event.body, by: by(event) })),
    replies,
  };
}
