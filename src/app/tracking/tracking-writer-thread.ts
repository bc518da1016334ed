// The thread that writes opens and clicks for an HTTP server on SQLite (started by
// tracking-writer.ts). node:sqlite is synchronous: a batch of 1,000 events with its ledger reads
// and updates holds a thread for 10-30 ms, which on the request thread put the open pixel's p99 at
// 24 ms (bench/tracking.ts). Here it holds only this thread. It has its own connection to the same
// file (WAL and busy_timeout make a second connection safe) and makes the person-or-machine
// verdicts, so the memory of recent clicks lives here too.
import { type MessagePort, parentPort, threadId, workerData } from 'node:worker_threads';
import pino from 'pino';
import { systemClock } from '../../core/clock.ts';
import { openDatabase } from '../../store/open-database.ts';
import type { AppDeps } from '../deps.ts';
import { loadProxyRanges } from './proxy-ranges-file.ts';
import { createRecentClicks } from './recent-clicks.ts';
import { recordInteractions } from './record-interactions.ts';
import type { WriterReply, WriterRequest, WriterThreadData } from './tracking-writer.ts';

if (!parentPort) throw new Error('tracking-writer-thread.ts runs as a worker thread (see tracking-writer.ts)');
const port: MessagePort = parentPort;
const data = workerData as WriterThreadData;
const store = openDatabase(data.config.databaseUrl);
const deps: AppDeps = {
  store,
  clock: systemClock,
  config: data.config,
  log: pino({ level: data.logLevel }).child({ component: 'tracking-writer' }),
};
const proxyRanges = loadProxyRanges(data.proxyRangesFile);
const recentClicks = createRecentClicks();
const reply = (message: WriterReply) => port.postMessage(message);

async function handle(request: WriterRequest): Promise<void> {
  if (request.type === 'close') {
    await store.close();
    reply({ type: 'closed' });
    port.close();
    return;
  }
  try {
    await recordInteractions(deps, request.items, proxyRanges, recentClicks);
    reply({ type: 'written', id: request.id, threadId });
  } catch (err) {
    // The request thread keeps the batch and logs the failure; the next round retries it.
    reply({ type: 'failed', id: request.id, message: (err as Error).message ?? String(err) });
  }
}

// One batch at a time, in the order they came (the recorder sends the next only after an
// answer, but the order must not depend on that).
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WriterRequest) => {
  queue = queue.then(() => handle(request));
});
reply({ type: 'ready', threadId });
