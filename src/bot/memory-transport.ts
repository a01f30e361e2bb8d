import type { LiveChat, LiveEvent, LiveGroup, LiveMessage, LivePerson, LiveReaction, OutgoingMessage } from "../domain/live-event.js";
import { type Transport, type TransportHandlers, TransportUnreachable } from "./transport.js";

/**
 * WhatsApp kept in memory, for tests, the demo and `simulate`: `deliver` is a message arriving on the
 * phone (the bot hears it only while connected, as with the real thing, and backfill finds it later),
 * `drop` is the network going, `sent` is everything the bot said.
 */
export class MemoryTransport implements Transport {
  readonly sent: Array<OutgoingMessage & { id: string; at: number }> = [];
  /** Whether WhatsApp Web can be reached; while false, connect() fails as it does offline. */
  reachable = true;
  connects = 0;
  private handlers: TransportHandlers | null = null;
  private readonly chats = new Map<string, { group: LiveGroup; messages: LiveMessage[]; reactions: LiveReaction[] }>();
  private sentCount = 0;
  /** What the bot said in direct messages, as WhatsApp keeps each chat's history. */
  private readonly direct = new Map<string, LiveMessage[]>();

  constructor(
    readonly account: LivePerson,
    private readonly now: () => number = Date.now,
  ) {}

  /** A group the account is in. */
  addGroup(chat: LiveChat, participants: LiveGroup["participants"]): void {
    this.chats.set(chat.whatsappId, { group: { chat, participants }, messages: [], reactions: [] });
  }

  get connected(): boolean {
    return this.handlers !== null;
  }

  /** Something happens in WhatsApp: kept in the chat's history, and heard by the bot if it is connected. */
  deliver(event: LiveEvent): void {
    const chat = this.chats.get(event.chat.whatsappId);
    if (event.kind === "message" && chat) {
      const messages = chat.messages;
      const index = messages.findIndex((message) => message.id === event.id);
      if (index === -1) messages.push(event);
      else messages[index] = event;
    }
    if (event.kind === "edit" || event.kind === "deletion") this.rewrite(event);
    if (event.kind === "reaction" && chat) {
      // WhatsApp shows a message's current reaction of each person.
      chat.reactions = chat.reactions.filter((reaction) => !(reaction.messageId === event.messageId && reaction.sender.whatsappId === event.sender.whatsappId));
      if (event.emoji) chat.reactions.push(event);
    }
    this.handlers?.event(event);
  }

  /** The connection drops (the network went away, the phone logged out). */
  drop(reason = "NAVIGATION"): void {
    const handlers = this.handlers;
    this.handlers = null;
    handlers?.lost(reason);
  }

  async connect(handlers: TransportHandlers): Promise<void> {
    this.connects++;
    if (!this.reachable) throw new TransportUnreachable("net::ERR_INTERNET_DISCONNECTED at https://web.whatsapp.com/");
    this.handlers = handlers;
  }

  async disconnect(): Promise<void> {
    this.handlers = null;
  }

  me(): string | null {
    return this.handlers ? this.account.whatsappId : null;
  }

  async groups(): Promise<LiveGroup[]> {
    this.mustBeConnected();
    return [...this.chats.values()].map((chat) => chat.group);
  }

  async history(chatId: string, since: number | null, limit: number): Promise<LiveEvent[]> {
    this.mustBeConnected();
    const chat = this.chats.get(chatId);
    if (!chat) return (this.direct.get(chatId) ?? []).filter((message) => since === null || message.at >= since).slice(-limit);
    // The newest 100, 400, … until the last one archived is among them, as the real transport fetches them.
    const all = chat.messages;
    let wanted = Math.min(100, limit);
    while (wanted < limit && wanted < all.length && !(since !== null && all[all.length - wanted]!.at <= since)) wanted = Math.min(wanted * 4, limit);
    const messages = all.slice(Math.max(0, all.length - wanted));
    const shown = new Set(messages.map((message) => message.id));
    return [...messages, ...chat.reactions.filter((reaction) => shown.has(reaction.messageId))];
  }

  async message(id: string): Promise<LiveMessage | null> {
    this.mustBeConnected();
    for (const chat of this.chats.values()) {
      const found = chat.messages.find((message) => message.id === id);
      if (found) return found;
    }
    return null;
  }

  async send(message: OutgoingMessage): Promise<string> {
    this.mustBeConnected();
    const id = `true_${message.chatId}_SENT${++this.sentCount}`;
    const at = this.now();
    this.sent.push({ ...message, id, at });
    // As in WhatsApp, what the bot says in a group comes back as a message of the group; a direct
    // message stays in that chat's history.
    const chat = this.chats.get(message.chatId);
    const own: LiveMessage = {
      kind: "message",
      chat: chat?.group.chat ?? { whatsappId: message.chatId, name: message.chatId, isGroup: false },
      id,
      sender: this.account,
      fromMe: true,
      at,
      body: message.text,
      type: message.document ? "document" : "text",
      quotedId: message.quotedId ?? null,
      mentions: [],
      forwarded: false,
      edited: null,
      media: null,
    };
    if (chat) this.deliver(own);
    else this.direct.set(message.chatId, [...(this.direct.get(message.chatId) ?? []), own]);
    return id;
  }

  /** WhatsApp shows an edited or deleted message as it now is; backfill sees that. */
  private rewrite(event: Extract<LiveEvent, { kind: "edit" | "deletion" }>): void {
    const messages = this.chats.get(event.chat.whatsappId)?.messages ?? [];
    const index = messages.findIndex((message) => message.id === event.messageId);
    if (index === -1) return;
    const message = messages[index]!;
    messages[index] =
      event.kind === "edit" ? { ...message, body: event.body, edited: { at: event.at } } : { ...message, body: "", type: "revoked", media: null };
  }

  private mustBeConnected(): void {
    if (!this.handlers) throw new TransportUnreachable("not connected to WhatsApp");
  }
}
