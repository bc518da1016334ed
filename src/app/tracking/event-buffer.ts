// Requests on the tracking hot path only push into this buffer; it writes in batches every
// `intervalMs` or as soon as `maxBatch` items wait, one write at a time, in slices. A failed write keeps its
// items for the next round (up to `maxPending`, beyond which new items are dropped and counted,
// so a dead database cannot exhaust memory). `close()` writes everything still waiting: a clean
// shutdown loses nothing.
import type { Logger } from 'pino';

export interface EventBuffer<T> {
  push(item: T): void;
  /** Writes what is waiting now (tests, shutdown). */
  flush(): Promise<void>;
  /** Stops the timer and writes everything; later pushes are dropped. Safe to call twice. */
  close(): Promise<void>;
  stats(): EventBufferStats;
}

export interface EventBufferStats {
  /** Waiting or being written. */
  pending: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

export interface EventBufferOptions<T> {
  write: (items: T[]) => Promise<void>;
  log: Logger;
  intervalMs?: number;
  /** A write starts at once when this many items wait. */
  maxBatch?: number;
  /**
   * Items per call of `write`; a round writes in slices with a turn of the event loop between
   * them, so that requests do not wait behind a whole round of synchronous SQLite work.
   */
  writeSlice?: number;
  maxPending?: number;
}

export function createEventBuffer<T>(options: EventBufferOptions<T>): EventBuffer<T> {
  const intervalMs = options.intervalMs ?? 100;
  const maxBatch = options.maxBatch ?? 1000;
  const writeSlice = options.writeSlice ?? maxBatch;
  const maxPending = options.maxPending ?? 200_000;
  let pending: T[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;
  // Items handed to `write` and not yet answered: a write to another thread takes a while.
  let inFlight = 0;
  let closed = false;
  let closing: Promise<void> | null = null;
  const counts = { written: 0, dropped: 0, failedWrites: 0 };

  async function writeOnce(): Promise<void> {
    const items = pending.splice(0, writeSlice);
    if (items.length === 0) return;
    inFlight = items.length;
    try {
      await options.write(items);
      counts.written += items.length;
    } catch (err) {
      counts.failedWrites++;
      options.log.error({ err, items: items.length }, 'writing tracking events failed; they are kept for the next round');
      // Back in front, in their order; the newest give way if the buffer is full.
      pending = items.concat(pending);
      if (pending.length > maxPending) counts.dropped += pending.splice(maxPending).length;
      throw err;
    } finally {
      inFlight = 0;
    }
  }

  function drain(): Promise<void> {
    if (writing) return writing;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    writing = (async () => {
      try {
        // What waits now is written in this round; a burst keeps the rounds going without
        // waiting a timer tick each.
        do {
          let left = pending.length;
          while (left > 0) {
            left -= writeSlice;
            await writeOnce();
            if (left > 0) await new Promise((resolve) => setImmediate(resolve));
          }
        } while (pending.length >= maxBatch);
      } catch {
        // logged in writeOnce; the timer below retries
      } finally {
        writing = null;
        if (pending.length > 0 && !closed) schedule();
      }
    })();
    return writing;
  }

  function schedule(): void {
    if (timer || writing) return;
    timer = setTimeout(() => {
      timer = null;
      void drain();
    }, intervalMs);
    timer.unref();
  }

  return {
    push(item) {
      if (closed || pending.length >= maxPending) {
        counts.dropped++;
        return;
      }
      pending.push(item);
      if (pending.length >= maxBatch) void drain();
      else schedule();
    },
    async flush() {
      while (writing) await writing;
      while (pending.length > 0) {
        const before = counts.failedWrites;
        await drain();
        if (counts.failedWrites !== before) throw new Error('writing tracking events failed (see the log)');
      }
    },
    close() {
      closing ??= (async () => {
        closed = true;
        if (timer) clearTimeout(timer);
        timer = null;
        while (writing) await writing;
        // A write that fails now is retried a few times before the events are given up (and logged).
        for (let attempt = 0; pending.length > 0 && attempt < 3; attempt++) await drain();
        if (pending.length > 0) {
          counts.dropped += pending.length;
          options.log.error({ lost: pending.length }, 'tracking events could not be written at shutdown');
          pending = [];
        }
      })();
      return closing;
    },
    stats: () => ({ pending: pending.length + inFlight, ...counts }),
  };
}
