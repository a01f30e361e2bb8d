import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSendQueue } from "../../src/bot/send-queue.js";
import type { OutgoingMessage } from "../../src/domain/live-event.js";
import { memoryLogger } from "../support.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(Date.UTC(2024, 9, 22, 4, 0));
});
afterEach(() => {
  vi.useRealTimers();
});

const message = (n: number): OutgoingMessage => ({ chatId: "120363000000000001@g.us", text: `বার্তা ${n}` });

function queueSending(options: { minGapMs?: number; jitterMs?: number; perMinute?: number; perDay?: number; failures?: number; random?: () => number } = {}) {
  const sentAt: number[] = [];
  let failures = options.failures ?? 0;
  const { log, lines } = memoryLogger();
  const queue = createSendQueue(
    async () => {
      if (failures > 0) {
        failures--;
        throw new Error("WhatsApp Web unreachable");
      }
      sentAt.push(Date.now());
      return `id${sentAt.length}`;
    },
    {
      limits: { minGapMs: options.minGapMs ?? 4_000, jitterMs: options.jitterMs ?? 0, perMinute: options.perMinute ?? 100, perDay: options.perDay ?? 1_000 },
      now: () => Date.now(),
      random: options.random ?? (() => 0.5),
      log,
    },
  );
  return { queue, sentAt, lines };
}

describe("the send queue", () => {
  it("sends one message at a time, a jittered gap apart", async () => {
    const { queue, sentAt } = queueSending({ minGapMs: 4_000, jitterMs: 2_000, random: () => 0.5 });
    const ids = Promise.all([1, 2, 3].map((n) => queue.enqueue(message(n))));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await ids).toEqual(["id1", "id2", "id3"]);
    const start = sentAt[0]!;
    expect(sentAt.map((at) => at - start)).toEqual([0, 5_000, 10_000]);
  });

  it("holds messages beyond the per-minute cap until the minute has passed", async () => {
    const { queue, sentAt } = queueSending({ minGapMs: 0, perMinute: 3 });
    for (let n = 1; n <= 5; n++) void queue.enqueue(message(n));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sentAt).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sentAt).toHaveLength(5);
    expect(sentAt[3]! - sentAt[0]!).toBeGreaterThanOrEqual(60_000);
  });

  it("stops at the daily cap, says so, and sends the rest a day later", async () => {
    const { queue, sentAt, lines } = queueSending({ minGapMs: 0, perMinute: 100, perDay: 2 });
    for (let n = 1; n <= 3; n++) void queue.enqueue(message(n));
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(sentAt).toHaveLength(2);
    expect(lines().some((line) => line.includes("daily send cap reached"))).toBe(true);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(sentAt).toHaveLength(3);
  });

  it("tries a failed send again later instead of dropping it, and gives up after four attempts", async () => {
    const retried = queueSending({ minGapMs: 0, failures: 2 });
    const sent = retried.queue.enqueue(message(1));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(await sent).toBe("id1");

    const failing = queueSending({ minGapMs: 0, failures: 10 });
    const lost = failing.queue.enqueue(message(2));
    const outcome = lost.then(
      () => "sent",
      (error: Error) => error.message,
    );
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(await outcome).toBe("WhatsApp Web unreachable");
    expect(failing.queue.waiting).toBe(0);
  });

  it("refuses what is still waiting when stopped", async () => {
    const { queue } = queueSending({ minGapMs: 60_000 });
    void queue.enqueue(message(1));
    const waiting = queue.enqueue(message(2)).catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(1_000);
    queue.stop();
    expect(await waiting).toContain("stopped");
  });
});
