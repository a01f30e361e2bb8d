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

/**
 * The chat a watched group is archived under: the one with its WhatsApp id, else one imported under its
 * name (which from now on also carries the id), else a new one keyed by the id. A renamed group keeps
 * its chat and takes the new name.
 */
export function findOrCreateLiveChat(archive: Archive, group: { whatsappId: string; name: string }, now: number): Chat {
  const known = archive.get(archive.db.selectFrom("chats").select(["id", "key", "name"]).where("whatsapp_id", "=", group.whatsappId));
  if (known) {
    if (group.name && group.name !== known.name) {
      archive.run(archive.db.updateTable("chats").set({ name: group.name }).where("id", "=", known.id));
      return { ...known, name: group.name };
    }
    return known;
  }
  const imported = group.name ? findChatByName(archive, group.name) : undefined;
  if (imported && archive.get(archive.db.selectFrom("chats").select("whatsapp_id").where("id", "=", imported.id))?.whatsapp_id === null) {
    archive.run(archive.db.updateTable("chats").set({ whatsapp_id: group.whatsappId }).where("id", "=", imported.id));
    return imported;
  }
  const name = group.name || group.whatsappId;
  const { lastInsertRowid: id } = archive.run(archive.db.insertInto("chats").values({ key: group.whatsappId, name, whatsapp_id: group.whatsappId, created_at: now }));
  return { id, key: group.whatsappId, name };
}

/**
 * The bot's own chats beside the watched groups, where what belongs to no group is recorded: direct
 * messages with the bot (requests made to it, digests it sends) and the command line (audited reads).
 */
const OWN_CHATS = {
  direct: { whatsappId: "nirdesh:direct", name: "Nirdesh: direct requests" },
  commandLine: { whatsappId: "nirdesh:cli", name: "Nirdesh: command line" },
};

export function ownChat(archive: Archive, which: keyof typeof OWN_CHATS, now: number): Chat {
  return findOrCreateLiveChat(archive, OWN_CHATS[which], now);
}

/** Whether a chat's key is one of the bot's own chats rather than a group. */
export function isOwnChat(key: string): boolean {
  return Object.values(OWN_CHATS).some((chat) => chat.whatsappId === key);
}
