/**
 * Sleeps that a stop cuts short all at once: a backoff, a download's retry, the send queue's gap. After
 * `wakeAll`, a new sleep returns at once.
 */
export function createSleeps(): { sleep(ms: number): Promise<void>; wakeAll(): void } {
  const sleepers = new Set<() => void>();
  let woken = false;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (woken) return resolve();
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(0, ms));
        sleepers.add(wake);
      }),
    wakeAll() {
      woken = true;
      for (const wake of [...sleepers]) wake();
    },
  };
}
