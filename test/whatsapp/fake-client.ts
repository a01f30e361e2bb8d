import { EventEmitter } from "node:events";
import type WAWebJS from "whatsapp-web.js";
import type { WhatsAppClient } from "../../src/whatsapp/whatsapp-transport.js";

/**
 * A stand-in for whatsapp-web.js's Client, for driving the real transport without a browser. What the
 * account's phone holds (chats and their messages, contacts, the lid → phone map, what was sent) lives
 * in a FakePhone that every FakeClient of a test shares, as every real Client reads the same account:
 * a reconnect gets a new client that sees what happened while the bot was away.
 *
 * The objects handed to the transport are shaped as the library builds them (see
 * node_modules/whatsapp-web.js/src/structures/ and src/Client.js): timestamps in seconds, ids as
 * `{ fromMe, remote, id, _serialized }`, a reaction's `msgId` the parent message's id.
 */

export const ME = "8801700000000@c.us";
export const GROUP = "120363000000000001@g.us";
export const GROUP_NAME = "ইউএনও অফিস সখীপুর - দাপ্তরিক";
export const OTHER_GROUP = "120363000000000002@g.us";
export const OTHER_GROUP_NAME = "পারিবারিক আড্ডা";

export interface FakeParticipant {
  id: string;
  isAdmin?: boolean;
  isSuperAdmin?: boolean;
}

export interface FakeChat {
  id: string;
  name: string;
  isGroup: boolean;
  participants: FakeParticipant[];
  /** Oldest first, as WhatsApp keeps them. */
  messages: WAWebJS.Message[];
}

export interface FakeContact {
  name?: string;
  pushname?: string;
  number?: string;
}

export interface SentCall {
  chatId: string;
  content: WAWebJS.MessageContent;
  options: WAWebJS.MessageSendOptions | undefined;
  id: string;
}

/** What initialize() does. */
export type Startup =
  | { kind: "ready" }
  | { kind: "reject"; error: Error }
  | { kind: "auth_failure"; message: string }
  | { kind: "qr"; qr: string }
  | { kind: "disconnect"; reason: string }
  /** WhatsApp Web never finishes loading: no event at all. */
  | { kind: "silent" };

/** The account as WhatsApp holds it: shared by every client a test makes. */
export class FakePhone {
  readonly chats = new Map<string, FakeChat>();
  readonly contacts = new Map<string, FakeContact>();
  /** `…@lid` → `…@c.us`, as getContactLidAndPhone answers. */
  readonly lids = new Map<string, string>();
  readonly sent: SentCall[] = [];
  /** Every call the clients got, by method name. */
  readonly calls: Record<string, number> = {};
  /** How many more getContactLidAndPhone calls fail (WhatsApp Web busy, an evaluation error). */
  lidLookupFailures = 0;
  /** Whether a message the account sends comes back through `message_create`, as with the real client. */
  echoSent = true;

  constructor(readonly now: () => number = Date.now) {}

  addChat(chat: Omit<FakeChat, "messages" | "participants"> & { participants?: FakeParticipant[]; messages?: WAWebJS.Message[] }): FakeChat {
    const full: FakeChat = { participants: [], messages: [], ...chat };
    this.chats.set(chat.id, full);
    return full;
  }

  /** A message lands in its chat's history (whether or not a connected client hears of it). */
  store(message: WAWebJS.Message): void {
    const chat = this.chats.get(message.id.remote);
    if (!chat) return;
    const at = chat.messages.findIndex((known) => known.id._serialized === message.id._serialized);
    if (at === -1) chat.messages.push(message);
    else chat.messages[at] = message;
    chat.messages.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** A message of any chat, by its serialized id. */
  find(id: string): WAWebJS.Message | undefined {
    for (const chat of this.chats.values()) {
      const found = chat.messages.find((message) => message.id._serialized === id);
      if (found) return found;
    }
    return undefined;
  }

  count(method: string): void {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
  }
}

export class FakeClient extends EventEmitter {
  info: WAWebJS.ClientInfo;
  destroyed = false;
  /** Whether 'ready' was emitted: WhatsApp Web opened on this client. */
  opened = false;

  constructor(
    readonly phone: FakePhone,
    private readonly startup: Startup = { kind: "ready" },
  ) {
    super();
    this.prependListener("ready", () => (this.opened = true));
    this.info = { wid: { server: "c.us", user: "8801700000000", _serialized: ME }, pushname: "Nirdesh", platform: "android" } as unknown as WAWebJS.ClientInfo;
  }

  async initialize(): Promise<void> {
    this.phone.count("initialize");
    const startup = this.startup;
    switch (startup.kind) {
      case "reject":
        throw startup.error;
      case "ready":
        queueMicrotask(() => this.emit("ready"));
        return;
      case "auth_failure":
        queueMicrotask(() => this.emit("auth_failure", startup.message));
        return;
      case "qr":
        queueMicrotask(() => this.emit("qr", startup.qr));
        return;
      case "disconnect":
        queueMicrotask(() => this.emit("disconnected", startup.reason));
        return;
      case "silent":
        return;
    }
  }

  async destroy(): Promise<void> {
    this.phone.count("destroy");
    this.destroyed = true;
  }

  async getChats(): Promise<WAWebJS.Chat[]> {
    this.phone.count("getChats");
    return [...this.phone.chats.values()].map((chat) => this.chatObject(chat));
  }

  async getChatById(chatId: string): Promise<WAWebJS.Chat> {
    this.phone.count("getChatById");
    const chat = this.phone.chats.get(chatId);
    if (!chat) throw new Error(`Evaluation failed: no chat ${chatId}`);
    return this.chatObject(chat);
  }

  async getContactById(contactId: string): Promise<WAWebJS.Contact> {
    this.phone.count("getContactById");
    // A lid names the same contact as the phone number behind it.
    const known = this.phone.contacts.get(this.phone.lids.get(contactId) ?? contactId) ?? {};
    const [user = "", server = "c.us"] = contactId.split("@");
    return {
      id: { server, user, _serialized: contactId },
      number: known.number ?? (server === "c.us" ? user : ""),
      name: known.name,
      pushname: known.pushname ?? "",
      shortName: known.name?.split(" ")[0],
      isUser: true,
      isGroup: false,
      isMe: contactId === ME,
      isMyContact: known.name !== undefined,
      isWAContact: true,
      isBusiness: false,
      isEnterprise: false,
      isBlocked: false,
    } as unknown as WAWebJS.Contact;
  }

  async getContactLidAndPhone(userIds: string[]): Promise<{ lid: string; pn: string }[]> {
    this.phone.count("getContactLidAndPhone");
    if (this.phone.lidLookupFailures > 0) {
      this.phone.lidLookupFailures--;
      throw new Error("Evaluation failed: TypeError: Cannot read properties of undefined (reading 'getPhoneNumber')");
    }
    // As the library does: each id answered with its lid and phone, undefined where WhatsApp would not say.
    return userIds.map((id) => {
      if (id.endsWith("@lid")) return { lid: id, pn: this.phone.lids.get(id) as string };
      const lid = [...this.phone.lids].find(([, pn]) => pn === id)?.[0];
      return { lid: lid as string, pn: id };
    });
  }

  /** Whether the page still answers; a test can make it hang, as a page whose browser died does. */
  answers = true;

  async getState(): Promise<WAWebJS.WAState> {
    if (!this.answers) return new Promise(() => undefined);
    return "CONNECTED" as WAWebJS.WAState;
  }

  async getMessageById(messageId: string): Promise<WAWebJS.Message> {
    this.phone.count("getMessageById");
    // The library answers null for a message WhatsApp no longer has.
    return this.phone.find(messageId) ?? (null as unknown as WAWebJS.Message);
  }

  async sendMessage(chatId: string, content: WAWebJS.MessageContent, options?: WAWebJS.MessageSendOptions): Promise<WAWebJS.Message> {
    this.phone.count("sendMessage");
    const n = this.phone.sent.length + 1;
    const sent = message({
      chat: chatId,
      id: `SENT${String(n).padStart(4, "0")}`,
      fromMe: true,
      body: typeof content === "string" ? content : String(options?.caption ?? ""),
      type: typeof content === "string" ? "chat" : "document",
      timestamp: Math.floor(this.phone.now() / 1000),
      quoted: options?.quotedMessageId ? (this.phone.find(options.quotedMessageId) ?? null) : null,
    });
    this.phone.sent.push({ chatId, content, options, id: sent.id._serialized });
    this.phone.store(sent);
    if (this.phone.echoSent) queueMicrotask(() => this.emit("message_create", sent));
    return sent;
  }

  /** A message arrives from someone else: the library emits `message_create`, then `message`. */
  receive(incoming: WAWebJS.Message): void {
    this.phone.store(incoming);
    this.emit("message_create", incoming);
    if (!incoming.fromMe) this.emit("message", incoming);
  }

  private chatObject(chat: FakeChat): WAWebJS.Chat {
    const [user = "", server = ""] = chat.id.split("@");
    const object = {
      id: { server, user, _serialized: chat.id },
      name: chat.name,
      isGroup: chat.isGroup,
      isReadOnly: false,
      unreadCount: 0,
      timestamp: chat.messages.at(-1)?.timestamp ?? 0,
      archived: false,
      pinned: false,
      isMuted: false,
      muteExpiration: 0,
      fetchMessages: async (search: WAWebJS.MessageSearchOptions) => {
        this.phone.count("fetchMessages");
        const limit = search.limit ?? Infinity;
        // The newest `limit` messages, oldest first, as the library gives them.
        return limit >= chat.messages.length ? [...chat.messages] : chat.messages.slice(chat.messages.length - limit);
      },
      ...(chat.isGroup
        ? {
            participants: chat.participants.map((participant) => {
              const [pUser = "", pServer = "c.us"] = participant.id.split("@");
              return {
                id: { server: pServer, user: pUser, _serialized: participant.id },
                isAdmin: participant.isAdmin ?? false,
                isSuperAdmin: participant.isSuperAdmin ?? false,
              };
            }),
          }
        : {}),
    };
    return object as unknown as WAWebJS.Chat;
  }
}

// Compile-time check that the fake offers everything the transport asks of a client.
const fits: (client: FakeClient) => WhatsAppClient = (client) => client;
void fits;

/* ---------------------------------------------------------------------------------------------- */
/* Library-shaped objects                                                                          */
/* ---------------------------------------------------------------------------------------------- */

export interface MessageSpec {
  /** The chat: a group (…@g.us) or, for a direct message, the other person (…@c.us). */
  chat?: string;
  /** Who wrote it (in a group); for a direct message, who it came from. Ignored when fromMe. */
  author?: string;
  /** WhatsApp's short id (`3EB0…`); made up when not given. */
  id?: string;
  body?: string;
  type?: string;
  /** Seconds, as the library gives them. */
  timestamp: number;
  fromMe?: boolean;
  hasMedia?: boolean;
  quoted?: WAWebJS.Message | null;
  isForwarded?: boolean;
  mentionedIds?: string[];
  latestEditSenderTimestampMs?: number;
  protocolMessageKey?: WAWebJS.MessageId;
  notifyName?: string;
  mimetype?: string;
  filename?: string;
  size?: number;
  /** What downloadMedia() gives: the file, or an error it always rejects with. */
  download?: { data: Buffer; mimetype: string; filename?: string | null } | Error;
}

/** A Message as the library hands it out, plus how often its file was asked for. */
export type FakeMessage = WAWebJS.Message & { readonly downloads: number };

let nextId = 1;

/** Every body a test made, so the log can be checked for them. */
export const bodiesSeen = new Set<string>();

export function messageId(chat: string, shortId: string, fromMe: boolean, author?: string): WAWebJS.MessageId {
  const participant = chat.endsWith("@g.us") && !fromMe && author ? `_${author}` : "";
  return { fromMe, remote: chat, id: shortId, _serialized: `${fromMe}_${chat}_${shortId}${participant}`, ...(participant ? { participant: author } : {}) } as WAWebJS.MessageId;
}

export function message(spec: MessageSpec): FakeMessage {
  const chat = spec.chat ?? GROUP;
  const fromMe = spec.fromMe ?? false;
  const inGroup = chat.endsWith("@g.us");
  const shortId = spec.id ?? `3EB0${String(nextId++).padStart(16, "0")}`;
  const author = fromMe ? undefined : (spec.author ?? (inGroup ? "8801711000013@c.us" : chat));
  const id = messageId(chat, shortId, fromMe, author);
  const type = spec.type ?? (spec.hasMedia ? "image" : "chat");
  const body = spec.body ?? "";
  if (body.length >= 4) bodiesSeen.add(body);
  let downloads = 0;
  const fake = {
    id,
    ack: 1,
    from: fromMe ? ME : inGroup ? chat : author,
    to: fromMe ? chat : ME,
    author: inGroup ? author : undefined,
    body,
    type,
    timestamp: spec.timestamp,
    fromMe,
    hasMedia: spec.hasMedia ?? false,
    hasQuotedMsg: Boolean(spec.quoted),
    hasReaction: false,
    isForwarded: spec.isForwarded ?? false,
    forwardingScore: spec.isForwarded ? 1 : 0,
    isStarred: false,
    isStatus: false,
    broadcast: false,
    isEphemeral: false,
    isGif: false,
    deviceType: "android",
    mentionedIds: spec.mentionedIds ?? [],
    groupMentions: [],
    links: [],
    vCards: [],
    ...(spec.latestEditSenderTimestampMs !== undefined ? { latestEditSenderTimestampMs: spec.latestEditSenderTimestampMs } : {}),
    ...(spec.protocolMessageKey ? { protocolMessageKey: spec.protocolMessageKey } : {}),
    rawData: {
      id,
      body,
      type,
      t: spec.timestamp,
      notifyName: spec.notifyName ?? "",
      ...(spec.mimetype !== undefined ? { mimetype: spec.mimetype } : {}),
      ...(spec.filename !== undefined ? { filename: spec.filename } : {}),
      ...(spec.size !== undefined ? { size: spec.size } : {}),
    },
    async getQuotedMessage() {
      // The library answers undefined when there is no quote.
      return spec.quoted ?? undefined;
    },
    async downloadMedia() {
      downloads++;
      const download = spec.download;
      if (download instanceof Error) throw download;
      if (!download) return undefined;
      return { mimetype: download.mimetype, data: download.data.toString("base64"), filename: download.filename ?? null };
    },
    get downloads() {
      return downloads;
    },
  };
  return fake as unknown as FakeMessage;
}

/** The same message as WhatsApp shows it after "delete for everyone": no words, type `revoked`. */
export function revokedCopy(original: WAWebJS.Message, at: number, options: { protocolMessageKey?: boolean } = {}): FakeMessage {
  return message({
    chat: original.id.remote,
    id: original.id.id,
    fromMe: original.fromMe,
    ...(original.author ? { author: original.author } : {}),
    type: "revoked",
    body: "",
    timestamp: at,
    ...(options.protocolMessageKey ? { protocolMessageKey: original.id } : {}),
  });
}

/** A reaction as the library's `message_reaction` gives it: timestamp in seconds, msgId the message's id. */
export function reaction(spec: { to: WAWebJS.Message; sender: string; emoji: string; timestamp: number; id?: string }): WAWebJS.Reaction {
  const shortId = spec.id ?? `3EB0R${String(nextId++).padStart(15, "0")}`;
  return {
    id: messageId(spec.to.id.remote, shortId, spec.sender === ME, spec.sender),
    orphan: 0,
    orphanReason: undefined,
    timestamp: spec.timestamp,
    reaction: spec.emoji,
    read: false,
    msgId: spec.to.id,
    senderId: spec.sender,
    ack: undefined,
  } as unknown as WAWebJS.Reaction;
}

/** A group notification (`group_join`, `group_leave`, `group_admin_changed`, `group_update`). */
export function groupNotification(spec: {
  chat?: string;
  type: string;
  author?: string;
  recipientIds?: string[];
  timestamp: number;
  body?: string;
  id?: string;
}): WAWebJS.GroupNotification {
  const chat = spec.chat ?? GROUP;
  const shortId = spec.id ?? `${nextId++}`;
  const author = spec.author ?? "";
  return {
    id: { fromMe: false, remote: chat, id: shortId, participant: author, _serialized: `false_${chat}_${shortId}_${author}` },
    author,
    body: spec.body ?? "",
    chatId: chat,
    recipientIds: spec.recipientIds ?? [],
    timestamp: spec.timestamp,
    type: spec.type,
    async getChat() {
      throw new Error("not used");
    },
    async getContact() {
      throw new Error("not used");
    },
    async getRecipients() {
      return [];
    },
    async reply() {
      throw new Error("not used");
    },
  } as unknown as WAWebJS.GroupNotification;
}
