// The request thread's side of the tracking writer thread (tracking-writer-thread.ts): each batch
// of raw interactions is posted to the thread as plain objects and answered when it is written
// or has failed, so the recorder's buffer keeps its one-write-at-a-time, keep-on-failure rules.
//
// The thread starts with the first batch (a server that is never asked for a pixel costs nothing)
// and does not keep the process alive while idle. If it cannot start at all, batches are written
// on the request thread instead, so events are never lost to a thread that could not start; if it
// dies later, the batches it held fail (the buffer keeps them) and the next batch starts a new one.
// A thread that dies after committing a batch but before answering makes that batch be written twice.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { HeraldConfig } from '../../config/load-config.ts';
import type { Interaction } from '../../core/tracking/classify-interaction.ts';

export interface WriterThreadData {
  /** databaseUrl is the file the request thread's store has open. */
  config: HeraldConfig;
  proxyRangesFile: string | null;
  logLevel: string;
}

export type WriterRequest = { type: 'write'; id: number; items: Interaction[] } | { type: 'close' };

export type WriterReply =
  | { type: 'ready'; threadId: number }
  | { type: 'written'; id: number; threadId: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };

export interface TrackingWriter {
  /** Writes one batch; resolves with the threadId of the thread that wrote it. */
  write(items: Interaction[]): Promise<number>;
  /** Closes the thread's connection and ends it (after the last write has been answered). */
  close(): Promise<void>;
}

export interface WriterThreadOptions {
  config: HeraldConfig;
  proxyRangesFile: string | null;
  log: Logger;
  /** Writes a batch on this thread: used when the writer thread cannot start. */
  writeHere: (items: Interaction[]) => Promise<number>;
}

export function createWriterThread(options: WriterThreadOptions): TrackingWriter {
  const { log } = options;
  let worker: Worker | null = null;
  let writeHereInstead = false;
  let closing = false;
  let nextId = 1;
  const calls = new Map<number, { resolve: (threadId: number) => void; reject: (err: Error) => void }>();
  let onClosed: (() => void) | null = null;

  function answer(id: number): { resolve: (threadId: number) => void; reject: (err: Error) => void } | undefined {
    const call = calls.get(id);
    calls.delete(id);
    // Idle: the thread must not keep the process alive (close() holds it while it drains).
    if (calls.size === 0 && !closing) worker?.unref();
    return call;
  }

  function start(): Worker {
    const data: WriterThreadData = { config: options.config, proxyRangesFile: options.proxyRangesFile, logLevel: log.level };
    const w = new Worker(new URL('./tracking-writer-thread.ts', import.meta.url), { workerData: data });
    let ready = false;
    w.on('message', (reply: WriterReply) => {
      if (reply.type === 'ready') ready = true;
      else if (reply.type === 'written') answer(reply.id)?.resolve(reply.threadId);
      else if (reply.type === 'failed') answer(reply.id)?.reject(new Error(reply.message));
      else onClosed?.();
    });
    w.on('error', (err) => log.error({ err }, 'the tracking writer thread failed'));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      const lost = [...calls.values()];
      calls.clear();
      for (const call of lost) call.reject(new Error(`the tracking writer thread stopped (exit code ${code}) before answering`));
      onClosed?.();
      if (!ready && !closing) {
        writeHereInstead = true;
        log.error({ code }, 'the tracking writer thread could not start; tracking events are written on the request thread');
      }
    });
    return w;
  }

  return {
    write(items) {
      if (writeHereInstead) return options.writeHere(items);
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<number>((resolve, reject) => {
        calls.set(id, { resolve, reject });
        w.ref();
        try {
          w.postMessage({ type: 'write', id, items } satisfies WriterRequest);
        } catch (err) {
          answer(id);
          reject(err as Error);
        }
      });
    },
    async close() {
      closing = true;
      const w = worker;
      if (!w) return;
      w.ref();
      const done = new Promise<void>((resolve) => {
        onClosed = resolve;
      });
      w.postMessage({ type: 'close' } satisfies WriterRequest);
      await done;
      await w.terminate();
    },
  };
}
