// The buffer behind the public tracking routes: requests push interactions, and they are
// classified and written in batches. One per HTTP server; the routes close it when the server
// closes, which writes what is left.
//
// Where the writing happens: on a SQLite file, in a worker thread with its own connection
// (tracking-writer.ts). node:sqlite is synchronous, and a batch written on the request thread
// held every request behind it: p99 24 ms for the open pixel at 14,500 requests/s, against a
// target of 10 ms (bench/tracking.ts). On PostgreSQL the driver does not block the thread, so
// batches are written here.
import { threadId } from 'node:worker_threads';
import type { Interaction } from '../../core/tracking/classify-interaction.ts';
import type { AppDeps } from '../deps.ts';
import { createEventBuffer, type EventBuffer, type EventBufferStats } from './event-buffer.ts';
import { loadProxyRanges } from './proxy-ranges-file.ts';
import { createRecentClicks } from './recent-clicks.ts';
import { recordInteractions } from './record-interactions.ts';
import { createWriterThread, type TrackingWriter } from './tracking-writer.ts';

export interface TrackingRecorderStats extends EventBufferStats {
  /** The worker_threads threadId of the thread that made the last write (null before the first). */
  writerThreadId: number | null;
}

export interface TrackingRecorder extends Omit<EventBuffer<Interaction>, 'stats'> {
  stats(): TrackingRecorderStats;
  /**
   * While the writes are far behind, a short wait for the request to take before it is answered;
   * null otherwise (the common case, nothing to await).
   */
  slowDown(): Promise<void> | null;
}

export interface TrackingRecorderOptions {
  /** Mail privacy proxy ranges; default: HERALD_PROXY_RANGES_FILE. */
  proxyRangesFile?: string | null;
  intervalMs?: number;
  maxBatch?: number;
  /** Write in a worker thread; default: on a SQLite file yes, on PostgreSQL no. */
  writerThread?: boolean;
}

// Freed from the writes, the request thread answers more opens and clicks (25,000/s and more in
// bench/tracking.ts) than the writer thread can write on a busy 2-core machine: an event costs
// 20-80 µs of SQLite work, more as message_events grows, since each batch dirties index pages all
// over. A sustained flood would fill the buffer until it drops events. Past this many waiting
// batches each answer waits a millisecond or a few, which slows the requests to the pace of the
// writes and leaves the cores to the writer, at a cost of a few ms to those answers.
const SLOW_DOWN_BATCHES = 5;
const MAX_SLOW_DOWN_MS = 4;

const isSqliteFile = (url: string) => url.startsWith('sqlite:') && url !== 'sqlite::memory:';

export function createTrackingRecorder(deps: AppDeps, options: TrackingRecorderOptions = {}): TrackingRecorder {
  const url = deps.store.url;
  const proxyRangesFile = options.proxyRangesFile !== undefined ? options.proxyRangesFile : deps.config.proxyRangesFile;
  // Read here even when a thread writes: a broken file stops the start with its line number.
  const proxyRanges = loadProxyRanges(proxyRangesFile);
  const log = deps.log.child({ component: 'tracking' });
  const onThread = options.writerThread ?? isSqliteFile(url);
  if (onThread && url.startsWith('sqlite:') && !isSqliteFile(url)) {
    throw new Error('tracking events cannot be written in a worker thread to an in-memory SQLite database');
  }

  // The recent clicks stay with whichever thread makes the verdicts: this one only when it writes.
  const recentClicks = createRecentClicks();
  const writeHere = async (items: Interaction[]) => {
    await recordInteractions(deps, items, proxyRanges, recentClicks);
    return threadId;
  };
  const writer: TrackingWriter | null = onThread
    ? createWriterThread({ config: { ...deps.config, databaseUrl: url }, proxyRangesFile, log, writeHere })
    : null;
  let writerThreadId: number | null = null;

  const maxBatch = options.maxBatch ?? 1000;
  const slowDownAt = SLOW_DOWN_BATCHES * maxBatch;
  const buffer = createEventBuffer<Interaction>({
    write: async (items) => {
      writerThreadId = await (writer ? writer.write(items) : writeHere(items));
    },
    log,
    // To the thread: every 10 ms, so that each post is small (cloning 1,000 interactions at once
    // would hold the request thread); while the thread writes, the next batch gathers here.
    // Here: every 100 ms in slices of 200 with a turn of the event loop between them, so requests
    // wait behind at most one slice.
    intervalMs: options.intervalMs ?? (writer ? 10 : 100),
    maxBatch,
    writeSlice: writer ? undefined : 200,
  });

  let closing: Promise<void> | null = null;
  return {
    push: (item) => buffer.push(item),
    flush: () => buffer.flush(),
    close() {
      closing ??= (async () => {
        await buffer.close();
        try {
          await writer?.close();
        } catch (err) {
          log.error({ err }, 'closing the tracking writer thread failed');
        }
      })();
      return closing;
    },
    stats: () => ({ ...buffer.stats(), writerThreadId }),
    slowDown() {
      const { pending } = buffer.stats();
      if (pending < slowDownAt) return null;
      const ms = Math.min(MAX_SLOW_DOWN_MS, Math.floor(pending / slowDownAt));
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}
