// Worker thread of a CSV import: runs the reading half (parse + row checks) on bytes the main
// thread posts, and posts back the checked batches. Both directions are flow-controlled: it asks
// for bytes as the parser consumes them, and stops reading when the writer falls behind.
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { checkCsvRows } from './checked-rows.ts';

/** Messages from the main thread. */
export type ToChecker = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'error'; message: string } | { type: 'ack' };

/** Batches posted but not yet written; more would only pile up in memory. */
const MAX_UNWRITTEN = 2;

const port = parentPort!;
const { batchSize } = workerData as { batchSize: number };
const queue: (Buffer | null | Error)[] = [];
let reportFailure: (err: Error) => void = () => undefined;
const sourceFailure = new Promise<Error>((resolve) => (reportFailure = resolve));
let waiting = false;
let unwritten = 0;
let resumeChecking: (() => void) | null = null;

const source = new Readable({
  highWaterMark: 1 << 20,
  read() {
    waiting = !feed();
  },
});

/** Pushes the next queued chunk (telling the main thread it may send another); false if none. */
function feed(): boolean {
  if (queue.length === 0) return false;
  const chunk = queue.shift()!;
  if (chunk === null) source.push(null);
  else if (chunk instanceof Error) {
    // The source stalls here; checkCsvRows reports the break-off once the rows before it are read.
    reportFailure(chunk);
    return true;
  } else {
    port.postMessage({ type: 'took' });
    source.push(chunk);
  }
  return true;
}

port.on('message', (msg: ToChecker) => {
  if (msg.type === 'ack') {
    unwritten--;
    resumeChecking?.();
    resumeChecking = null;
    return;
  }
  queue.push(
    msg.type === 'chunk' ? Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength) : msg.type === 'error' ? new Error(msg.message) : null,
  );
  if (waiting) waiting = !feed();
});

try {
  for await (const event of checkCsvRows(source, batchSize, sourceFailure)) {
    port.postMessage(event);
    if (event.type !== 'batch') break;
    unwritten++;
    if (unwritten > MAX_UNWRITTEN) await new Promise<void>((resolve) => (resumeChecking = resolve));
  }
} catch (err) {
  port.postMessage({ type: 'crash', message: (err as Error).stack ?? String(err) });
}
port.postMessage({ type: 'done' });
