import type { EventEmitter } from "node:events";
import type WAWebJS from "whatsapp-web.js";
import type { Logger } from "pino";
import type { LiveEvent, LiveGroup, OutgoingMessage } from "../domain/live-event.js";
import { type Transport, type TransportHandlers, TransportNeedsLogin, TransportUnreachable } from "../bot/transport.js";
import { type ClientForReading, createLiveEventReader, type LiveEventReader } from "./read-live-event.js";

/** What of a whatsapp-web.js Client the transport uses; tests hand in an EventEmitter shaped like it. */
export type WhatsAppClient = EventEmitter &
  ClientForReading &
  Pick<WAWebJS.Client, "initialize" | "destroy" | "getChats" | "sendMessage" | "getMessageById" | "getState"> & {
    pupBrowser?: { on(event: "disconnected", listener: () => void): unknown } | undefined;
  };

export interface WhatsAppTransportOptions {
  /** A new client (and with the real one, a new browser) for each connection. */
  newClient(): WhatsAppClient;
  /** Wraps a file to send as whatsapp-web.js's MessageMedia. */
  newMedia(document: NonNullable<OutgoingMessage["document"]>): WAWebJS.MessageMedia;
  /** Shown to a person who must link the device: the QR code's text, or a pairing code. */
  onQr(qr: string): void;
  onPairingCode(code: string): void;
  log: Logger;
  /** How long to wait for WhatsApp Web to open before calling it unreachable (not counting a QR wait). */
  readyTimeoutMs?: number;
  /** How often a ready connection is asked whether it still answers (whatsapp-web.js notices no dead browser). */
  healthCheckMs?: number;
}

/**
 * The Transport over whatsapp-web.js. Library events are read into live events in the order they came
 * (each is read asynchronously: a lid lookup, a quoted message), and `message` is ignored because
 * `message_create` brings the same messages and the bot's own.
 */
export function createWhatsAppTransport(options: WhatsAppTransportOptions): Transport {
  let client: WhatsAppClient | null = null;
  let reader: LiveEventReader | null = null;
  /** Rejects a connect() still waiting for WhatsApp when disconnect() is called (a stop during a QR wait). */
  let abandon: ((error: Error) => void) | null = null;
  let health: NodeJS.Timeout | null = null;
  const log = options.log;

  const close = async (closing: WhatsAppClient | null) => {
    if (health) clearInterval(health);
    health = null;
    abandon?.(new TransportUnreachable("the connection was closed before WhatsApp was ready"));
    if (!closing) return;
    closing.removeAllListeners();
    // destroy() closes the browser; a browser that never opened may throw, which changes nothing.
    await closing.destroy().catch((error: unknown) => log.debug({ err: error }, "closing the WhatsApp client failed"));
  };

  return {
    async connect(handlers: TransportHandlers) {
      await close(client);
      const current = options.newClient();
      client = current;
      reader = createLiveEventReader(current);
      const read = reader;
      // One chain keeps events in the order WhatsApp gave them, however long each takes to read.
      let order: Promise<void> = Promise.resolve();
      const deliver = (kind: string, reading: () => Promise<LiveEvent | null>) => {
        order = order
          .then(reading)
          .then((event) => {
            if (event && client === current) handlers.event(event);
          })
          .catch((error: unknown) => log.warn({ err: error, kind }, "a WhatsApp event could not be read; backfill will bring it"));
      };
      current.on("message_create", (message: WAWebJS.Message) => deliver("message", () => read.message(message)));
      current.on("message_edit", (message: WAWebJS.Message, newBody: string) => deliver("edit", () => read.edit(message, String(newBody))));
      current.on("message_revoke_everyone", (after: WAWebJS.Message, before?: WAWebJS.Message | null) => deliver("deletion", () => read.deletion(after, before)));
      current.on("message_reaction", (reaction: WAWebJS.Reaction) => deliver("reaction", () => read.reaction(reaction)));
      for (const name of ["group_join", "group_leave", "group_admin_changed", "group_update"]) {
        current.on(name, (notification: WAWebJS.GroupNotification) => {
          if (notification.type === "subject" && notification.chatId) read.renamed(notification.chatId, notification.body);
          deliver("membership", () => read.membership(notification));
        });
      }
      current.on("qr", (qr: string) => options.onQr(qr));
      current.on("code", (code: string) => options.onPairingCode(code));
      let state = "CONNECTED";
      current.on("change_state", (next: string) => {
        log.info({ state: next }, "WhatsApp connection state");
        // Back from a phone that was offline: what came meanwhile is fetched.
        if (next === "CONNECTED" && state !== "CONNECTED" && client === current) handlers.resumed?.();
        state = next;
      });

      await new Promise<void>((resolve, reject) => {
        let ready = false;
        let waitingForPerson = false;
        let timer: NodeJS.Timeout | undefined;
        /** Gives up after the ready timeout, unless a person is scanning the QR code meanwhile. */
        const waitAtMost = (reason: string) => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            if (!ready && !waitingForPerson) fail(new TransportUnreachable(reason));
          }, options.readyTimeoutMs ?? 180_000);
        };
        const fail = (error: Error) => {
          clearTimeout(timer);
          abandon = null;
          reject(error);
        };
        abandon = fail;
        waitAtMost("WhatsApp Web did not open in time");
        // Loading a long history after the login can take minutes on a slow line: the wait starts again.
        current.on("authenticated", () => {
          waitingForPerson = false;
          waitAtMost("WhatsApp Web did not finish loading in time");
        });
        current.on("qr", () => (waitingForPerson = true));
        current.on("code", () => (waitingForPerson = true));
        current.once("ready", () => {
          ready = true;
          abandon = null;
          clearTimeout(timer);
          watch(current, handlers);
          resolve();
        });
        current.once("auth_failure", (message: string) => fail(new TransportNeedsLogin(`authentication failed: ${message}`)));
        current.on("disconnected", (reason: string) => {
          if (!ready) fail(reason === "LOGOUT" || reason === "UNPAIRED" ? new TransportNeedsLogin(String(reason)) : new TransportUnreachable(String(reason)));
          else if (client === current) handlers.lost(String(reason));
        });
        current.initialize().catch((error: unknown) => fail(new TransportUnreachable(reasonOf(error))));
      });
    },

    async disconnect() {
      abandon?.(new TransportUnreachable("the connection was closed before WhatsApp was ready"));
      const closing = client;
      client = null;
      reader = null;
      await close(closing);
    },

    me() {
      return client?.info?.wid?._serialized ?? null;
    },

    async groups(): Promise<LiveGroup[]> {
      const { client: current, reader: read } = connected();
      const groups = await Promise.all((await current.getChats()).filter((chat) => chat.isGroup).map((chat) => read.group(chat)));
      return groups.filter((group): group is LiveGroup => group !== null);
    },

    async history(chatId, since, limit) {
      const { client: current, reader: read } = connected();
      const chat = await current.getChatById(chatId);
      // Fetch more and more of the newest messages until the last one archived is among them.
      let wanted = Math.min(100, limit);
      let messages: WAWebJS.Message[] = [];
      for (;;) {
        messages = await chat.fetchMessages({ limit: wanted });
        const reachedBack = since !== null && messages.length > 0 && messages[0]!.timestamp * 1000 <= since;
        if (reachedBack || messages.length < wanted || wanted >= limit) break;
        wanted = Math.min(wanted * 4, limit);
      }
      if (since !== null && messages.length >= limit && messages[0]!.timestamp * 1000 > since) {
        log.warn({ limit }, "the catch-up reached NIRDESH_BACKFILL_LIMIT before the last archived message; older missed messages were not fetched");
      }
      // Every fetched message is read, older ones too: one may have been edited or deleted meanwhile, and
      // reactions given while the bot was away come with the message they are on.
      const live: LiveEvent[] = [];
      for (const message of messages) {
        const event = await read.message(message);
        if (!event) continue;
        live.push(event);
        if (!message.hasReaction) continue;
        const lists = await message.getReactions().catch(() => []);
        for (const list of lists ?? []) {
          for (const reaction of list.senders ?? []) {
            const given = await read.reaction(reaction);
            if (given) live.push(given);
          }
        }
      }
      return live;
    },

    async message(id) {
      const { client: current, reader: read } = connected();
      const message = await current.getMessageById(id).catch(() => null);
      return message ? read.message(message) : null;
    },

    async send(outgoing) {
      const { client: current } = connected();
      const sendOptions: WAWebJS.MessageSendOptions = { sendSeen: false };
      if (outgoing.quotedId) sendOptions.quotedMessageId = outgoing.quotedId;
      if (outgoing.mentions?.length) sendOptions.mentions = outgoing.mentions;
      const content = outgoing.document ? options.newMedia(outgoing.document) : outgoing.text;
      if (outgoing.document) {
        sendOptions.sendMediaAsDocument = true;
        sendOptions.caption = outgoing.text;
      }
      const sent = await current.sendMessage(outgoing.chatId, content, sendOptions);
      return sent.id._serialized;
    },
  };

  /**
   * A browser the OOM killer took, or a page that hangs, sends no `disconnected`: the browser's own event and
   * a regular question to the page find them, and the bot reconnects.
   */
  function watch(current: WhatsAppClient, handlers: TransportHandlers): void {
    let lost = false;
    const lose = (reason: string) => {
      if (lost || client !== current) return;
      lost = true;
      if (health) clearInterval(health);
      handlers.lost(reason);
    };
    current.pupBrowser?.on("disconnected", () => lose("the browser closed"));
    let unanswered = 0;
    const every = options.healthCheckMs ?? 60_000;
    health = setInterval(() => {
      const answered = Promise.race([current.getState(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), Math.min(30_000, every)).unref?.())]);
      answered.then(
        () => (unanswered = 0),
        () => {
          if (++unanswered >= 2) lose("WhatsApp Web stopped answering");
        },
      );
    }, every);
    health.unref?.();
  }

  function connected(): { client: WhatsAppClient; reader: LiveEventReader } {
    if (!client || !reader) throw new TransportUnreachable("not connected to WhatsApp");
    return { client, reader };
  }
}

/** The first line of what went wrong, as a person can read it ("net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/"). */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim() || "unknown error";
}
