import { Readable } from "node:stream";
import type { Logger } from "pino";
import type { LiveChat, LiveEvent, LiveMessage, OutgoingMessage } from "../domain/live-event.js";
import { isWatched } from "../domain/is-watched.js";
import { readInChatCommand } from "../domain/read-in-chat-command.js";
import type { Lexicons } from "../lexicons.js";
import { logId } from "../logger.js";
import { archiveLiveEvent, type LiveArchiveOutcome, lastLiveMessageAt, mediaStillToFetch, recordLiveMedia, recordParticipants } from "../store/archive-live-event.js";
import type { MediaStore } from "../store/media-store.js";
import type { Archive } from "../store/open-archive.js";
import { bringTrackingUpToDate, type TrackingMemory } from "../store/track-chats.js";
import type { FollowUpSettings } from "../nudge-policy-file.js";
import { everyMinute, type Scheduled } from "../scheduler/every-minute.js";
import { createFollowUpScan } from "../scheduler/follow-up-scan.js";
import type { Messages } from "../text.js";
import { answerInChatCommand } from "./answer-in-chat-command.js";
import { createSendQueue, type SendLimits, type SendQueue } from "./send-queue.js";
import { createSleeps } from "./sleeps.js";
import { type Transport, TransportNeedsLogin } from "./transport.js";

export interface BotSettings {
  /** Watched groups: WhatsApp ids (…@g.us) or exact names. Nothing from any other chat is archived. */
  watch: string[];
  timeZone: string;
  /** How many of a group's newest messages the first backfill takes (later ones go back to the last archived). */
  backfillLimit: number;
  /** A fresh browser this often: WhatsApp Web's memory grows over weeks. 0: never. */
  recycleMs: number;
  /** Tracking waits this long after a write, so a burst of messages is worked out once. */
  trackDelayMs: number;
  sendLimits?: SendLimits;
}

export const DEFAULT_BOT_SETTINGS: Omit<BotSettings, "watch" | "timeZone"> = {
  backfillLimit: 1_000,
  recycleMs: 24 * 60 * 60_000,
  trackDelayMs: 2_000,
};

export interface BotDependencies {
  transport: Transport;
  archive: Archive;
  media: MediaStore;
  lexicons: Lexicons;
  text: Messages;
  settings: BotSettings;
  log: Logger;
  now: () => number;
  random?: () => number;
  /** Nudges, reminders, escalations and digests; none without. */
  followUps?: FollowUpSettings;
  /** Runs the follow-up scan every minute (node-cron; `simulate` drives it from its own clock instead). */
  everyMinute?: (task: () => unknown, timeZone: string) => Scheduled;
}

export interface Bot {
  /** Connects and keeps connecting until stopped; resolves when stopped. */
  run(): Promise<void>;
  /** Disconnects cleanly: what is being archived is finished, the browser closed. */
  stop(): Promise<void>;
  /** Resolves when every event received so far is archived and tracked (for tests and the demo). */
  settled(): Promise<void>;
  /** The one queue everything the bot says goes through (nudges use it too). */
  readonly outbox: SendQueue;
  /** Runs the follow-up scan now, in turn with the events being archived. */
  followUp(): Promise<void>;
  /** Resolves when every follow-up handed to the queue was sent or given up. */
  followUpsDelivered(): Promise<void>;
  readonly connected: boolean;
}

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
const MEDIA_ATTEMPTS = 3;
const DIRECT_REQUESTS_PER_HOUR = 5;
/** A group whose event could not be archived is caught up again this soon. */
const CATCH_UP_AFTER_FAILURE_MS = 30_000;

/**
 * The live bot: connects through the transport (retrying with exponential backoff, capped at five
 * minutes, for as long as it runs), archives every event of the watched groups, catches up on what was
 * missed after every (re)connect, answers in-chat commands, and sends through one rate-limited queue.
 * One bad event is logged with its ids and skipped; the bot keeps running.
 */
export function createBot(deps: BotDependencies): Bot {
  const { transport, archive, log, now, settings } = deps;
  const random = deps.random ?? Math.random;
  let stopping = false;
  let connected = false;
  /** Connected and caught up: what the bot itself sent before a restart is archived by then. */
  let caughtUp = false;
  /** Events are archived one at a time, in the order they came. */
  let work: Promise<void> = Promise.resolve();
  let endConnection: ((reason: string) => void) | null = null;
  /** Every sleep under way (backoff, a download's retry), woken at once by stop(). */
  const { sleep, wakeAll } = createSleeps();
  /** Counts connections: a download that began on an earlier one failed because that one closed. */
  let connection = 0;
  const catchUpsDue = new Set<string>();
  /** Per group, the time of the earliest message whose write failed and that a catch-up has yet to bring. */
  const missingSince = new Map<string, number>();
  /** When the connection (re)started: what was archived from then on is newer than the gap being caught up. */
  let gapEndedAt = 0;
  /** Tracking works out every chat that changed, so one timer serves them all. */
  let trackingDue: NodeJS.Timeout | null = null;
  let trackingCost = 0;
  /** Each group as tracking left it: new messages are read on top of it. */
  const trackingMemory: TrackingMemory = new Map();
  const pendingMedia = new Set<Promise<void>>();
  const downloading = new Set<string>();
  const directRequests = new Set<string>();
  const requestsThisHour = new Map<string, number>();
  const admins = new Map<string, Set<string>>();

  const outbox = createSendQueue((message) => transport.send(message), { limits: settings.sendLimits, now, random, log: log.child({ part: "outbox" }) });

  const watched = (chat: LiveChat): boolean => isWatched(chat, settings.watch);

  const followUps = deps.followUps
    ? createFollowUpScan({
        archive,
        settings: deps.followUps,
        timeZone: settings.timeZone,
        now,
        log: log.child({ part: "follow-ups" }),
        send: (message, options) => outbox.enqueue(message, options),
        sentEarlier: async (chatId, since, text) => {
          const shown = await transport.history(chatId, since, 50);
          const own = shown.find((event) => event.kind === "message" && event.fromMe && event.at >= since - 60_000 && event.body === text);
          return own?.kind === "message" ? { whatsappId: own.id, at: own.at } : null;
        },
        connected: () => connected && caughtUp,
        account: () => transport.me(),
        track: () => track(),
      })
    : null;
  const followUp = () => (followUps ? enqueue(() => followUps.scan(), { followUps: true }) : Promise.resolve());

  const enqueue = (task: () => Promise<void> | void, context: Record<string, unknown>) => {
    work = work.then(task).catch((error: unknown) => log.error({ err: error, ...context }, "an event could not be handled; skipped"));
    return work;
  };

  /**
   * Events waiting to be archived. Those that arrive together (a busy district, a catch-up) are archived
   * in one transaction, so a flood costs one write to disk per batch instead of one per message.
   */
  const arriving: Array<{ event: LiveEvent; fromBackfill: boolean }> = [];

  const receive = (event: LiveEvent, fromBackfill = false): void => {
    arriving.push({ event, fromBackfill });
    if (arriving.length === 1) void enqueue(archiveArrived, { arriving: true });
  };

  async function archiveArrived(): Promise<void> {
    const batch = arriving.splice(0);
    let outcomes: Array<LiveArchiveOutcome | Error | null>;
    try {
      // Each event in its own savepoint: one that fails is left out, and the others are archived.
      outcomes = archive.transaction(() =>
        batch.map(({ event }) => {
          if (!watched(event.chat)) return null;
          try {
            return archiveLiveEvent(archive, event, now);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    } catch (error) {
      outcomes = batch.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    for (const [i, { event, fromBackfill }] of batch.entries()) {
      try {
        await afterArchiving(event, outcomes[i]!, fromBackfill);
      } catch (error) {
        log.error({ err: error, chat: logId(event.chat.whatsappId), kind: event.kind, ...("id" in event ? { id: logId(event.id) } : {}) }, "an event could not be handled; skipped");
      }
    }
  }

  async function afterArchiving(event: LiveEvent, outcome: LiveArchiveOutcome | Error | null, fromBackfill: boolean): Promise<void> {
    if (outcome === null) {
      // A record keeper's direct request is answered, never archived; nothing else from other chats is kept.
      if (event.kind === "message" && !event.chat.isGroup && !event.fromMe && firstTime(event)) await command(event, false);
      return;
    }
    if (outcome instanceof Error) {
      // Nothing is lost: the message is still in WhatsApp, and the catch-up brings it.
      log.error({ err: outcome, chat: logId(event.chat.whatsappId), kind: event.kind }, "archiving failed; the group will be caught up again");
      catchUpSoon(event.chat.whatsappId, event.at);
      return;
    }
    if (outcome.added) {
      log.info({ chat: outcome.chatId, kind: event.kind, message: outcome.messageId }, "archived");
      scheduleTracking();
    }
    if (event.kind === "membership" && (event.action === "promoted" || event.action === "demoted")) {
      const set = admins.get(event.chat.whatsappId) ?? new Set<string>();
      for (const person of event.people) event.action === "promoted" ? set.add(person.whatsappId) : set.delete(person.whatsappId);
      admins.set(event.chat.whatsappId, set);
    }
    if (event.kind !== "message") return;
    if (outcome.added && event.media) fetchMedia(event);
    // Commands seen only in a catch-up were asked while the bot was away; answering late would confuse.
    // A command delivered again (or after the catch-up archived it) was answered, or skipped, already.
    if (outcome.added && !event.fromMe && !fromBackfill) await command(event, true);
  }

  async function command(message: LiveMessage, inGroup: boolean): Promise<void> {
    const asked = readInChatCommand(message.body);
    if (!asked) return;
    const reply = answerInChatCommand(
      { archive, track, text: deps.text, timeZone: settings.timeZone, now, admins: admins.get(message.chat.whatsappId) ?? new Set() },
      message,
      asked,
      inGroup,
    );
    log.info({ chat: logId(message.chat.whatsappId), command: asked.name, allowed: reply.allowed }, "in-chat command");
    if (reply.message) say(reply.message);
  }

  const say = (message: OutgoingMessage) => {
    outbox.enqueue(message).catch((error: unknown) => log.warn({ err: error, chat: logId(message.chatId) }, "a reply was not sent"));
  };

  /**
   * Direct requests are not archived, so a second delivery of one is recognised here; and a number that
   * sends many is heard five times an hour, so a flood fills neither the chain nor the day's send cap.
   */
  function firstTime(message: LiveMessage): boolean {
    if (directRequests.has(message.id)) return false;
    directRequests.add(message.id);
    if (directRequests.size > 1_000) directRequests.delete(directRequests.values().next().value!);
    const hour = Math.floor(now() / 3_600_000);
    const key = `${message.sender.whatsappId}@${hour}`;
    const asked = (requestsThisHour.get(key) ?? 0) + 1;
    requestsThisHour.set(key, asked);
    if (requestsThisHour.size > 1_000) requestsThisHour.delete(requestsThisHour.keys().next().value!);
    return asked <= DIRECT_REQUESTS_PER_HOUR;
  }

  function fetchMedia(message: LiveMessage): void {
    // A catch-up lists files still to fetch while the download that archiving started is under way.
    if (downloading.has(message.id)) return;
    downloading.add(message.id);
    const media = message.media!;
    const on = connection;
    let cutOff = false;
    const task = (async () => {
      let reason = "";
      for (let attempt = 1; attempt <= MEDIA_ATTEMPTS && !stopping; attempt++) {
        try {
          const file = await media.download();
          const stored = await deps.media.put(Readable.from([file.data]));
          recordLiveMedia(archive, message.chat, message.id, { stored: { sha256: stored.sha256, size: stored.size, mimetype: file.mimetype, fileName: file.fileName ?? media.fileName } }, now);
          log.info({ chat: logId(message.chat.whatsappId), id: logId(message.id), size: stored.size }, "media stored");
          return;
        } catch (error) {
          reason = error instanceof Error ? error.message : String(error);
          log.warn({ chat: logId(message.chat.whatsappId), id: logId(message.id), attempt }, "media download failed");
          if (attempt < MEDIA_ATTEMPTS) await sleep(2_000 * 2 ** attempt);
        }
      }
      // A download cut off by a reconnect, a recycle or a stop is not WhatsApp refusing the file: the next
      // catch-up fetches it again through the new connection.
      if (!stopping && connected && on === connection) recordLiveMedia(archive, message.chat, message.id, { failed: reason, attempts: MEDIA_ATTEMPTS }, now);
      else cutOff = !stopping;
    })().catch((error: unknown) => log.error({ err: error, id: logId(message.id) }, "media could not be recorded"));
    pendingMedia.add(task);
    void task.finally(() => {
      pendingMedia.delete(task);
      downloading.delete(message.id);
      if (cutOff && connected) {
        transport.message(message.id).then(
          (again) => again?.media && fetchMedia(again),
          () => undefined,
        );
      }
    });
  }

  /**
   * Tracking reads a group's new messages on top of what it concluded, but an edit, a deletion or someone
   * joining makes it work the chat out again from its first message: a busy group is tracked at most once
   * per five times what the last tracking took, so on a chat of years it never takes more than a sixth of the time.
   */
  function scheduleTracking(): void {
    if (trackingDue) return;
    trackingDue = setTimer(() => {
      trackingDue = null;
      void enqueue(track, { tracking: true });
    }, Math.max(settings.trackDelayMs, 5 * trackingCost));
  }

  /** Works out directives and acknowledgements again in every chat that changed since the last time. */
  function track(): void {
    const started = performance.now();
    const chats = bringTrackingUpToDate(archive, { lexicons: deps.lexicons, timeZone: settings.timeZone }, now, trackingMemory);
    trackingCost = performance.now() - started;
    if (chats > 0) log.debug({ chats, ms: Math.round(trackingCost) }, "directives tracked");
  }

  /** Tracking that was waiting for its timer, done now (the bot is stopping, or a test wants the result). */
  function trackNowIfDue(): void {
    if (!trackingDue) return;
    clearTimeout(trackingDue);
    trackingDue = null;
    track();
  }

  /** Brings every watched group (or those named) up to what WhatsApp holds: members, missed messages, files. */
  async function catchUp(only?: string[]): Promise<void> {
    if (!connected) return;
    const groups = await transport.groups();
    const watchedGroups = groups.filter((group) => watched(group.chat) && (!only || only.includes(group.chat.whatsappId)));
    if (!only) {
      log.info({ groups: groups.length, watched: watchedGroups.length }, "connected to WhatsApp");
      if (watchedGroups.length === 0) log.warn("no watched group found: set NIRDESH_GROUPS (nirdesh groups lists the account's groups and their ids)");
    }
    for (const group of watchedGroups) {
      await enqueue(() => {
        recordParticipants(archive, group, transport.me(), now);
        admins.set(group.chat.whatsappId, new Set(group.participants.filter((p) => p.admin).map((p) => p.person.whatsappId)));
      }, { chat: logId(group.chat.whatsappId), participants: true });
      const chatId = group.chat.whatsappId;
      // From the last message archived before the gap: messages heard since the connection came back
      // (while other groups were caught up) are newer than the gap. From before a failed write too.
      const archived = lastLiveMessageAt(archive, chatId, gapEndedAt);
      const failedAt = missingSince.get(chatId);
      const since = failedAt === undefined ? archived : Math.min(archived ?? failedAt, failedAt - 1);
      const missed = await transport.history(chatId, since, settings.backfillLimit);
      for (const message of missed) receive(message, true);
      await work;
      for (const id of mediaStillToFetch(archive, group.chat.whatsappId)) {
        const message = await transport.message(id).catch(() => null);
        if (message?.media) fetchMedia(message);
      }
      if (missingSince.get(chatId) === failedAt) missingSince.delete(chatId);
      log.info({ chat: logId(group.chat.whatsappId), fetched: missed.length }, "caught up");
    }
  }

  function setTimer(task: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(task, ms);
    timer.unref?.();
    return timer;
  }

  /** One catch-up of a group, half a minute after a write to it failed, however many failed meanwhile. */
  function catchUpSoon(chatId: string, failedAt: number): void {
    missingSince.set(chatId, Math.min(missingSince.get(chatId) ?? failedAt, failedAt));
    if (catchUpsDue.has(chatId)) return;
    catchUpsDue.add(chatId);
    setTimer(() => {
      catchUpsDue.delete(chatId);
      catchUp([chatId]).catch((error: unknown) => {
        log.warn({ err: error, chat: logId(chatId) }, "catching up failed; trying again");
        if (!stopping) catchUpSoon(chatId, missingSince.get(chatId) ?? failedAt);
      });
    }, CATCH_UP_AFTER_FAILURE_MS);
  }

  async function run(): Promise<void> {
    const schedule = followUps ? (deps.everyMinute ?? everyMinute)(() => followUp(), settings.timeZone) : null;
    try {
      await serve();
    } finally {
      schedule?.stop();
    }
  }

  async function serve(): Promise<void> {
    let failures = 0;
    while (!stopping) {
      const outcome = await serveOneConnection();
      connected = false;
      caughtUp = false;
      await transport.disconnect().catch(() => undefined);
      if (stopping) break;
      if (outcome.kind === "ready") failures = 0;
      if (outcome.kind === "ready" && outcome.reason === "recycle") {
        log.info("recycling the browser");
        continue;
      }
      const delay = retryDelay(failures++);
      const seconds = Math.round(delay / 1000);
      if (outcome.kind === "ready") {
        log.warn({ reason: outcome.reason }, "WhatsApp connection lost");
        log.info(`reconnecting in ${seconds}s`);
      } else if (outcome.error instanceof TransportNeedsLogin) {
        log.error(`WhatsApp needs the device linked again (${outcome.error.message}); run nirdesh start on a terminal and scan the QR code; retrying in ${seconds}s`);
      } else {
        log.warn(`WhatsApp Web unreachable: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}; retrying in ${seconds}s`);
      }
      await sleep(delay);
    }
  }

  /** Connects, catches up, and serves until the connection ends: why it ended, or why it never began. */
  async function serveOneConnection(): Promise<{ kind: "ready"; reason: string } | { kind: "failed"; error: unknown }> {
    const ended = new Promise<string>((resolve) => (endConnection = resolve));
    gapEndedAt = now();
    try {
      await transport.connect({
        event: (event) => receive(event),
        lost: (reason) => endConnection?.(reason),
        resumed: () => {
          gapEndedAt = now();
          void catchUp().catch((error: unknown) => log.warn({ err: error }, "catching up failed"));
        },
      });
      if (stopping) return { kind: "ready", reason: "stopping" };
      connected = true;
      connection++;
      await catchUp();
      caughtUp = true;
    } catch (error) {
      return { kind: "failed", error };
    }
    const recycle = settings.recycleMs > 0 ? setTimer(() => endConnection?.("recycle"), settings.recycleMs) : null;
    const reason = await ended;
    if (recycle) clearTimeout(recycle);
    return { kind: "ready", reason };
  }

  /** 5 s, 10 s, 20 s … up to 5 min, each a little earlier or later so many bots never retry in step. */
  function retryDelay(failures: number): number {
    const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
    return Math.round(base * (0.8 + 0.2 * random()));
  }

  return {
    run,
    async stop() {
      stopping = true;
      endConnection?.("stopping");
      wakeAll();
      outbox.stop();
      await work;
      await Promise.allSettled([...pendingMedia]);
      // What arrived since the last tracking is worked out before the archive closes.
      trackNowIfDue();
      connected = false;
      await transport.disconnect().catch((error: unknown) => log.warn({ err: error }, "closing WhatsApp failed"));
    },
    async settled() {
      for (;;) {
        const before = work;
        await before;
        await Promise.allSettled([...pendingMedia]);
        trackNowIfDue();
        if (work === before && pendingMedia.size === 0) return;
      }
    },
    outbox,
    followUp,
    followUpsDelivered: () => followUps?.delivered() ?? Promise.resolve(),
    get connected() {
      return connected;
    },
  };
}
