// Runs the reading half of a CSV import (parse + row checks, ~30 % of an import's time) in a
// worker thread, so it overlaps the database writes: node:sqlite is synchronous, so on one thread
// parsing and writing take turns. Small files are read in this thread: starting a worker costs
// more than it saves below about a megabyte.
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { type CheckedRowsEvent, checkCsvRows } from './checked-rows.ts';
import type { ToChecker } from './checked-rows-worker.ts';

type Source = Readable | AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** Bytes read before choosing: a source that ends within them is read in this thread. */
const IN_THREAD_MAX_BYTES = 1 << 20;
/** Chunks posted to the worker and not yet taken by its parser. */
const CHUNKS_IN_FLIGHT = 16;

type FromChecker = CheckedRowsEvent | { type: 'took' } | { type: 'crash'; message: string } | { type: 'done' };

const toBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

/** The checked rows of the source, in order, as `checkCsvRows` yields them; stop early with return(). */
export async function checkedRowsOf(stream: Source, batchSize: number): Promise<AsyncGenerator<CheckedRowsEvent, void, undefined>> {
  const chunks =
    stream instanceof Readable
      ? (stream.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer | string>)
      : Symbol.asyncIterator in stream
        ? stream[Symbol.asyncIterator]()
        : (stream as Iterable<Buffer | string>)[Symbol.iterator]();
  const head: Buffer[] = [];
  let size = 0;
  let failure: unknown = null;
  let ended = false;
  try {
    while (size < IN_THREAD_MAX_BYTES) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = toBuffer(next.value);
      head.push(chunk);
      size += chunk.length;
    }
  } catch (err) {
    failure = err;
  }
  if (ended) return checkCsvRows(head, batchSize);
  if (failure !== null) {
    const broken = failure as Error;
    if (!head.some((chunk) => chunk.includes(10) || chunk.includes(13))) {
      // Broken before the header line ended: the source fails as it did.
      async function* replay() {
        yield* head;
        throw broken;
      }
      return checkCsvRows(Readable.from(replay(), { objectMode: false }), batchSize);
    }
    // The source broke off after these bytes: they are read first, then the break-off reported.
    const stalled = new Readable({ read() {} });
    for (const chunk of head) stalled.push(chunk);
    return checkCsvRows(stalled, batchSize, Promise.resolve(broken));
  }
  return inWorker(head, chunks, stream, batchSize);
}

async function* inWorker(
  head: Buffer[],
  chunks: AsyncIterator<Buffer | string> | Iterator<Buffer | string>,
  stream: Source,
  batchSize: number,
): AsyncGenerator<CheckedRowsEvent, void, undefined> {
  const worker = new Worker(new URL('./checked-rows-worker.ts', import.meta.url), { workerData: { batchSize } });
  const post = (msg: ToChecker) => worker.postMessage(msg);
  const inbox: FromChecker[] = [];
  let wake: (() => void) | null = null;
  let exited: Error | null = null;
  const deliver = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (msg: FromChecker) => {
    if (msg.type === 'took') {
      inFlight--;
      void pump();
      return;
    }
    inbox.push(msg);
    deliver();
  });
  worker.on('error', (err) => {
    exited = err;
    deliver();
  });
  worker.on('exit', () => {
    exited ??= new Error('the CSV reader thread stopped unexpectedly');
    deliver();
  });

  // The source is read here (an HTTP request cannot move to another thread) and posted on.
  let inFlight = 0;
  let pumping = false;
  let sourceDone = false;
  let stopped = false;
  const pump = async () => {
    if (pumping || sourceDone || stopped) return;
    pumping = true;
    try {
      while (inFlight < CHUNKS_IN_FLIGHT && !stopped) {
        const chunk = head.shift();
        if (chunk) {
          inFlight++;
          post({ type: 'chunk', data: chunk });
          continue;
        }
        let next: IteratorResult<Buffer | string>;
        try {
          next = await chunks.next();
        } catch (err) {
          sourceDone = true;
          post({ type: 'error', message: (err as Error).message });
          return;
        }
        if (next.done) {
          sourceDone = true;
          post({ type: 'end' });
          return;
        }
        inFlight++;
        post({ type: 'chunk', data: toBuffer(next.value) });
      }
    } finally {
      pumping = false;
    }
  };
  void pump();

  try {
    for (;;) {
      const msg = inbox.shift();
      if (msg === undefined) {
        if (exited) throw exited;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (msg.type === 'done') return;
      if (msg.type === 'crash') throw new Error(`the CSV reader thread failed: ${msg.message}`);
      if (msg.type === 'took') continue;
      yield msg;
      if (msg.type === 'batch') post({ type: 'ack' });
    }
  } finally {
    stopped = true;
    await worker.terminate();
    // Drain the rest of the source (an HTTP client then still gets our answer).
    // (The iterator is let go first: a stream with a reader attached ignores resume().)
    if (!sourceDone && stream instanceof Readable && !stream.destroyed) void Promise.resolve(chunks.return?.()).then(() => stream.resume());
  }
}
