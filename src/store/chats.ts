import { nameKey } from "../domain/roster.js";
import { UserError } from "../user-error.js";
import type { Archive } from "./open-archive.js";

export interface Chat {
  id: number;
  key: string;
  name: string;
}

/**
 * The chat an export belongs to: one already archived under that name (a watched group or an earlier
 * import), or a new one whose permanent key is made from the name it was first imported under.
 */
export function findOrCreateChat(archive: Archive, name: string, now: number): Chat {
  const known = findChatByName(archive, name);
  if (known) return known;
  const key = `name:${nameKey(name)}`;
  const { lastInsertRowid: id } = archive.run(archive.db.insertInto("chats").values({ key, name, whatsapp_id: null, created_at: now }));
  return { id, key, name };
}

function findChatByName(archive: Archive, name: string): Chat | undefined {
  const rows = archive.all(archive.db.selectFrom("chats").select(["id", "key", "name"]).orderBy("id"));
  const key = nameKey(name);
  return rows.find((row) => nameKey(row.name) === key) ?? rows.find((row) => row.key === `name:${key}`);
}

/**
 * The chat a record keeper means by `--chat`: the exact name (case and spaces aside), else the one
 * chat whose name contains the text. Unknown or ambiguous names are the user's to fix.
 */
export function chatNamed(archive: Archive, name: string): Chat {
  const exact = findChatByName(archive, name);
  if (exact) return exact;
  const key = nameKey(name);
  const rows = archive.all(archive.db.selectFrom("chats").select(["id", "key", "name"]).orderBy("id"));
  const partial = key ? rows.filter((row) => nameKey(row.name).includes(key)) : [];
  if (partial.length === 1) return partial[0]!;
  if (partial.length > 1) throw new UserError((t) => t.ambiguousChat(name, partial.map((row) => row.name).join(", ")));
  throw new UserError((t) => t.unknownChat(name));
}
