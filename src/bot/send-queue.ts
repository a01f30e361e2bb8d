import type { Logger } from "pino";
import type { OutgoingMessage } from "../domain/live-event.js";
import { logId } from "../logger.js";
import { createSleeps } from "./sleeps.js";

export interface SendLimits {
  /** The least time between two messages; a random part of `jitterMs` is added, so gaps never look machine-made. */
  minGapMs: number;
  jitterMs: number;
  perMinute: number;
  perDay: number;
}

/** Gentle defaults: bulk messages from a linked device get accounts banned. */
export const DEFAULT_SEND_LIMITS: SendLimits = { minGapMs: 4_000, jitterMs: 3_000, perMinute: 8, perDay: 300 };

export interface SendOptions {
  /**
   * Asked before each attempt: a nudge whose officer has acknowledged while it waited (or that WhatsApp
   * took after all, or whose hours have ended) is not sent. False withdraws it.
   */
  stillWanted?(): boolean;
}

export interface SendQueue {
  /** Queues a message; resolves with WhatsApp's id once sent (null when withdrawn), rejects when every attempt failed. */
  enqueue(message: OutgoingMessage, options?: SendOptions): Promise<string | null>;
  /** Messages waiting. */
  readonly waiting: number;
  /** Stops sending; what waits is rejected. */
  stop(): void;
}

const ATTEMPTS = 4;
const RETRY_MS = 30_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Everything the bot says goes through one queue, one message at a time: at least a jittered gap apart,
 * no more than the per-minute and per-day caps (sliding windows), and a failed send (WhatsApp down) is
 * tried again later rather than dropped.
 */
export function createSendQueue(send: (message: OutgoingMessage) => Promise<string>, options: { limits?: SendLimits; now: () => number; random?: () => number; log: Logger }): SendQueue {
  const limits = options.limits ?? DEFAULT_SEND_LIMITS;
  const random = options.random ?? Math.random;
  const queue: Array<{ message: OutgoingMessage; options: SendOptions; resolve(id: string | null): void; reject(error: Error): void }> = [];
  const sentAt: number[] = [];
  let running = false;
  let stopped = false;
  const { sleep, wakeAll } = createSleeps();

  /** How long until the next message may go. */
  const waitFor = (now: number): number => {
    while (sentAt.length > 0 && sentAt[0]! <= now - DAY) sentAt.shift();
    let wait = 0;
    const last = sentAt.at(-1);
    if (last !== undefined) wait = Math.max(wait, last + limits.minGapMs + random() * limits.jitterMs - now);
    const inMinute = sentAt.filter((at) => at > now - MINUTE);
    if (inMinute.length >= limits.perMinute) wait = Math.max(wait, inMinute[inMinute.length - limits.perMinute]! + MINUTE - now);
    if (sentAt.length >= limits.perDay) wait = Math.max(wait, sentAt[sentAt.length - limits.perDay]! + DAY - now);
    return wait;
  };

  const run = async () => {
    if (running) return;
    running = true;
    try {
      while (!stopped && queue.length > 0) {
        const wait = waitFor(options.now());
        if (wait > 0) {
          if (sentAt.length >= limits.perDay) options.log.warn({ waiting: queue.length, waitMs: Math.round(wait) }, "daily send cap reached; messages wait");
          await sleep(wait);
          continue;
        }
        const item = queue[0]!;
        let attempt = 0;
        for (;;) {
          attempt++;
          if (item.options.stillWanted && !item.options.stillWanted()) {
            queue.shift();
            item.resolve(null);
            break;
          }
          try {
            const id = await send(item.message);
            sentAt.push(options.now());
            queue.shift();
            item.resolve(id);
            break;
          } catch (error) {
            if (stopped) return;
            if (attempt >= ATTEMPTS) {
              queue.shift();
              options.log.error({ err: error, chat: logId(item.message.chatId), attempts: attempt }, "a message could not be sent");
              item.reject(error as Error);
              break;
            }
            options.log.warn({ chat: logId(item.message.chatId), attempt, retryInMs: RETRY_MS * attempt }, "sending failed; trying again");
            await sleep(RETRY_MS * attempt);
            if (stopped) return;
          }
        }
      }
    } finally {
      running = false;
    }
  };

  return {
    enqueue(message, options = {}) {
      if (stopped) return Promise.reject(new Error("the send queue is stopped"));
      const sent = new Promise<string | null>((resolve, reject) => queue.push({ message, options, resolve, reject }));
      void run();
      return sent;
    },
    get waiting() {
      return queue.length;
    },
    stop() {
      stopped = true;
      wakeAll();
      for (const item of queue.splice(0)) item.reject(new Error("the bot stopped before this message was sent"));
    },
  };
}
