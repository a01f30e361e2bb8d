import type WAWebJS from "whatsapp-web.js";
import type { LiveChat, LiveDeletion, LiveEdit, LiveGroup, LiveMembership, LiveMessage, LivePerson, LiveReaction, MembershipAction } from "../domain/live-event.js";
import type { MessageType } from "../domain/message.js";
import { normalisePhone } from "../domain/phone.js";

/** What of a whatsapp-web.js Client the reader uses: the methods that name people and chats. */
export type ClientForReading = Pick<WAWebJS.Client, "getContactLidAndPhone" | "getContactById" | "getChatById"> & { info?: WAWebJS.ClientInfo };

/**
 * The one place that reads whatsapp-web.js objects: it turns them into the bot's live events. Senders
 * that arrive as `…@lid` are mapped to their phone number (WhatsApp hides it behind the lid) so the
 * roster can be matched; names and chat subjects are looked up once and kept.
 */
export interface LiveEventReader {
  message(message: WAWebJS.Message): Promise<LiveMessage | null>;
  edit(message: WAWebJS.Message, newBody: string): Promise<LiveEdit | null>;
  deletion(after: WAWebJS.Message, before: WAWebJS.Message | null | undefined): Promise<LiveDeletion | null>;
  reaction(reaction: WAWebJS.Reaction): Promise<LiveReaction | null>;
  membership(notification: WAWebJS.GroupNotification): Promise<LiveMembership | null>;
  group(chat: WAWebJS.Chat): Promise<LiveGroup | null>;
  /** Forgets a group's cached subject (it was renamed). */
  renamed(chatId: string, name: string): void;
}

/** Message types that are WhatsApp's own bookkeeping, not something a person said. */
const NOT_MESSAGES = new Set([
  "protocol",
  "e2e_notification",
  "notification",
  "notification_template",
  "gp2",
  "group_notification",
  "call_log",
  "ciphertext",
  "reaction",
  "debug",
  "broadcast_notification",
  "oversized",
]);

const TYPES: Record<string, MessageType> = {
  chat: "text",
  image: "image",
  album: "image",
  video: "video",
  audio: "audio",
  ptt: "voice",
  document: "document",
  sticker: "sticker",
  location: "location",
  vcard: "contact",
  multi_vcard: "contact",
  poll_creation: "poll",
  revoked: "revoked",
};

const WITH_MEDIA = new Set<MessageType>(["image", "video", "audio", "voice", "document", "sticker"]);

export function createLiveEventReader(client: ClientForReading): LiveEventReader {
  const people = new Map<string, Promise<LivePerson>>();
  const chats = new Map<string, Promise<LiveChat>>();

  const personOf = (id: string, shownName?: string): Promise<LivePerson> => {
    let known = people.get(id);
    if (!known) {
      const lookup = lookUpPerson(client, id, shownName);
      known = lookup.then((found) => found.person);
      // A lookup WhatsApp could not answer (a lid it would not map) is not remembered: the next message asks again.
      lookup.then(
        (found) => found.complete || people.delete(id),
        () => people.delete(id),
      );
      people.set(id, known);
    }
    return known;
  };
  const chatOf = (id: string): Promise<LiveChat> => {
    let known = chats.get(id);
    if (!known) {
      known = client
        .getChatById(id)
        .then((chat) => ({ whatsappId: id, name: chat.name ?? id, isGroup: chat.isGroup ?? id.endsWith("@g.us") }))
        .catch(() => {
          // Not remembered: a group watched by its name would be missed for the whole connection.
          chats.delete(id);
          return { whatsappId: id, name: id, isGroup: id.endsWith("@g.us") };
        });
      chats.set(id, known);
    }
    return known;
  };
  const me = () => client.info?.wid?._serialized ?? null;
  /** In a group the author; the bot's own messages carry the chat in `from`, so the account is the sender. */
  const senderOf = (message: WAWebJS.Message) => (message.fromMe ? (me() ?? message.from) : (message.author ?? message.from));

  return {
    async message(message) {
      if (NOT_MESSAGES.has(message.type) || message.isStatus || message.broadcast) return null;
      const type = TYPES[message.type] ?? (message.hasMedia ? "media" : "text");
      const chatId = message.id.remote;
      const raw = (message.rawData ?? {}) as { notifyName?: string; mimetype?: string; filename?: string; size?: number };
      const senderId = senderOf(message);
      const [chat, sender, quotedId, mentions] = await Promise.all([
        chatOf(chatId),
        personOf(senderId, raw.notifyName),
        message.hasQuotedMsg ? message.getQuotedMessage().then((quoted) => quoted?.id?._serialized ?? null, () => null) : Promise.resolve(null),
        Promise.all((message.mentionedIds ?? []).map((id) => personOf(idOf(id)))),
      ]);
      const media =
        WITH_MEDIA.has(type) || message.hasMedia
          ? {
              mimetype: raw.mimetype ?? null,
              fileName: raw.filename ?? null,
              size: typeof raw.size === "number" ? raw.size : null,
              async download() {
                const file = await message.downloadMedia();
                if (!file?.data) throw new Error("WhatsApp no longer has the file");
                return { data: Buffer.from(file.data, "base64"), mimetype: file.mimetype, fileName: file.filename ?? null };
              },
            }
          : null;
      return {
        kind: "message",
        chat,
        id: message.id._serialized,
        sender,
        fromMe: message.fromMe,
        at: message.timestamp * 1000,
        body: type === "revoked" ? "" : (message.body ?? ""),
        type,
        quotedId,
        mentions,
        forwarded: Boolean(message.isForwarded),
        edited: message.latestEditSenderTimestampMs ? { at: message.latestEditSenderTimestampMs } : null,
        media,
      };
    },

    async edit(message, newBody) {
      const senderId = senderOf(message);
      const [chat, sender] = await Promise.all([chatOf(message.id.remote), personOf(senderId)]);
      return {
        kind: "edit",
        chat,
        messageId: message.id._serialized,
        sender,
        at: message.latestEditSenderTimestampMs ?? message.timestamp * 1000,
        body: String(newBody ?? message.body ?? ""),
      };
    },

    async deletion(after, before) {
      // The revoked message keeps no words; its key (or the copy from before) names the original.
      const messageId = after.protocolMessageKey?._serialized ?? before?.id?._serialized ?? after.id._serialized;
      const chatId = after.id?.remote ?? before?.id?.remote;
      if (!messageId || !chatId) return null;
      // WhatsApp does not say who deleted it (an admin may delete anyone's message), unless it was the bot.
      const senderId = after.fromMe ? me() : null;
      const [chat, sender] = await Promise.all([chatOf(chatId), senderId ? personOf(senderId) : Promise.resolve(null)]);
      return { kind: "deletion", chat, messageId, sender, at: (after.timestamp ?? Date.now() / 1000) * 1000 };
    },

    async reaction(reaction) {
      const chatId = reaction.msgId?.remote;
      if (!chatId || !reaction.senderId) return null;
      const [chat, sender] = await Promise.all([chatOf(chatId), personOf(reaction.senderId)]);
      // WhatsApp gives reaction times in milliseconds, where messages have seconds.
      const at = reaction.timestamp > 1e11 ? reaction.timestamp : reaction.timestamp * 1000;
      return { kind: "reaction", chat, messageId: reaction.msgId._serialized, sender, at, emoji: reaction.reaction ?? "" };
    },

    async membership(notification) {
      const chatId = notification.chatId;
      if (!chatId) return null;
      const [chat, actor, affected] = await Promise.all([
        chatOf(chatId),
        notification.author ? personOf(notification.author) : Promise.resolve(null),
        Promise.all((notification.recipientIds ?? []).map((id) => personOf(idOf(id)))),
      ]);
      const action = MEMBERSHIP_ACTIONS[notification.type] ?? "other";
      // Someone who left by themselves is the one affected.
      const people = affected.length > 0 ? affected : action === "left" && actor ? [actor] : [];
      const id = (notification.id as { _serialized?: string })?._serialized ?? `${chatId}#${notification.type}@${notification.timestamp}`;
      return { kind: "membership", chat, id, action, actor, people, at: notification.timestamp * 1000, body: notification.body ?? "" };
    },

    async group(chat) {
      if (!chat.isGroup) return null;
      const participants = (chat as WAWebJS.GroupChat).participants ?? [];
      const live: LiveChat = { whatsappId: chat.id._serialized, name: chat.name, isGroup: true };
      chats.set(live.whatsappId, Promise.resolve(live));
      return {
        chat: live,
        participants: await Promise.all(
          participants.map(async (participant) => ({ person: await personOf(participant.id._serialized), admin: participant.isAdmin || participant.isSuperAdmin })),
        ),
      };
    },

    renamed(chatId, name) {
      chats.set(chatId, Promise.resolve({ whatsappId: chatId, name, isGroup: chatId.endsWith("@g.us") }));
    },
  };
}

/** WhatsApp hands ids over as strings, or now and then as id objects. */
function idOf(id: unknown): string {
  return typeof id === "object" && id !== null && "_serialized" in id ? String((id as { _serialized: unknown })._serialized) : String(id);
}

const MEMBERSHIP_ACTIONS: Record<string, MembershipAction> = {
  add: "joined",
  invite: "joined",
  remove: "left",
  leave: "left",
  promote: "promoted",
  demote: "demoted",
  subject: "subject",
  description: "description",
  announce: "settings",
  restrict: "settings",
};

/**
 * A person's phone and name. An `@lid` id hides the number: WhatsApp is asked for it, and the person is
 * then known by the phone's id, as the roster knows them. The name is the one saved on the bot's phone,
 * else the one they gave themselves, else the number.
 */
async function lookUpPerson(client: ClientForReading, id: string, shownName: string | undefined): Promise<{ person: LivePerson; complete: boolean }> {
  let whatsappId = id;
  if (id.endsWith("@lid")) {
    const [mapped] = await client.getContactLidAndPhone([id]).catch(() => []);
    if (mapped?.pn) whatsappId = mapped.pn;
  }
  const phone = whatsappId.endsWith("@c.us") || whatsappId.endsWith("@s.whatsapp.net") ? normalisePhone(whatsappId) : null;
  // The name saved on the bot's phone first: the name a person shows is their own choice, and anyone can call
  // themselves "ADC Revenue".
  const contact = await client.getContactById(id).catch(() => null);
  const name = (contact?.isMyContact ? contact.name : undefined) || shownName || contact?.pushname || contact?.name || contact?.shortName || undefined;
  return {
    person: { whatsappId: phone ? `${phone.slice(1)}@c.us` : whatsappId, phone, name: name || phone || whatsappId },
    complete: !whatsappId.endsWith("@lid"),
  };
}
