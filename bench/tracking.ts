// Tracking benchmark (target: the open pixel and the click redirect each at ≥ 15,000 requests/s
// with p99 ≤ 10 ms, on SQLite).
//
// Herald's HTTP server (buildServer, as `herald serve` runs it) with the tracking routes over a
// fresh SQLite store holding 1,000 sent messages; autocannon (bench/support/
// load-generator.ts) runs as a child process on the other core, with 32 keep-alive connections,
// cycling through tokens of all 1,000 messages (clicks: 3 links each). The events are written by
// the recorder (on SQLite in its worker thread) while the load runs; afterwards the server is
// closed and the bench fails unless every answered request is an event row (nothing lost). The
// reference, in the same run: a bare Fastify route returning the same GIF with the same headers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from '../src/app/deps.ts';
import { clickUrl, openPixelUrl } from '../src/app/tracking/track-message-html.ts';
import { createTrackingRecorder } from '../src/app/tracking/tracking-recorder.ts';
import { buildServer } from '../src/http/server.ts';
import { PIXEL_GIF } from '../src/http/tracking-public-routes.ts';
import { createSqliteDatabase, openBenchApp } from './support/bench-database.ts';
import { startNode } from './support/child-process.ts';
import type { LoadOptions, LoadResult } from './support/load-generator.ts';
import { emit, progress, round } from './support/report.ts';

const TARGET_RPS = 15_000;
const TARGET_P99_MS = 10;
const MESSAGES = 1000;
const CONNECTIONS = 32;
const T = '2026-03-01T00:00:00.000Z';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

async function seedMessages(deps: AppDeps, accountId: number): Promise<number[]> {
  const db = deps.store.db;
  const campaign = await db
    .insertInto('campaigns')
    .values({ account_id: accountId, name: 'Bench', channel: 'email', kind: 'one-off', status: 'completed', template_id: null, from_email: null, from_name: null, reply_to: null, audience: '{}', scheduled_at: null, created_at: T, updated_at: T })
    .returning('id')
    .executeTakeFirstOrThrow();
  const delivery = await db
    .insertInto('deliveries')
    .values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T, prepared_at: T, started_at: T, finished_at: T, status_reason: null, created_at: T, updated_at: T })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const c = await db
      .insertInto('contacts')
      .values({ account_id: accountId, email: `t${i}@example.com`, phone: null, first_name: null, last_name: null, timezone: null, locale: null, postal_address: null, created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow();
    const m = await db
      .insertInto('messages')
      .values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: c.id, channel: 'email', address: `t${i}@example.com`, status: 'sent', reason: null, next_attempt_at: null, sent_at: T, created_at: T, updated_at: T })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(m.id);
  }
  return ids;
}

async function load(port: number, paths: string[], seconds: number): Promise<LoadResult> {
  const options: LoadOptions = { port, paths, connections: CONNECTIONS, seconds, warmupSeconds: Math.min(2, seconds / 3), userAgent: BROWSER };
  // Thousands of tokens exceed the argument size limit: the options go through a file.
  const file = path.join(os.tmpdir(), `herald-bench-load-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(options));
  const child = startNode('bench/support/load-generator.ts', [file], { collectStdout: true });
  const { code, stdout } = await child.exited;
  await child.memory.stop();
  fs.rmSync(file, { force: true });
  if (code !== 0) throw new Error(`the load generator exited with code ${code}`);
  return JSON.parse(stdout) as LoadResult;
}

function report(subject: string, result: LoadResult, expectStatus: string, extra: Record<string, unknown> = {}): void {
  const bad = Object.entries(result.statuses).filter(([s]) => s !== expectStatus);
  if (bad.length || result.errors) throw new Error(`${subject}: unexpected answers ${JSON.stringify(result.statuses)}, ${result.errors} socket errors`);
  emit({
    bench: 'tracking',
    subject,
    connections: CONNECTIONS,
    requests: result.requests,
    requests_per_second: result.requests_per_second,
    latency_ms: result.latency_ms,
    ...extra,
  });
}

export async function runTrackingBench(scale: number): Promise<void> {
  const seconds = Math.max(3, Math.round(10 * scale));
  const database = createSqliteDatabase('tracking');
  const { app: opened } = await openBenchApp(database.url);
  const { deps } = opened;
  let reference: FastifyInstance | null = null;
  let server: FastifyInstance | null = null;
  try {
    const ids = await seedMessages(deps, opened.bootstrap.accountId);
    const base = deps.config.publicUrl.length;
    const opens = ids.map((id) => openPixelUrl(deps.config, id).slice(base));
    const clicks = ids.flatMap((id) => [1, 2, 3].map((n) => clickUrl(deps.config, id, `https://shop.example.com/spring/item-${n}?utm_source=newsletter&utm_medium=email`, 3).slice(base)));

    // The reference: the least a Fastify server can do to answer a pixel.
    reference = Fastify();
    reference.get('/pixel.gif', async (_req, reply) => reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL_GIF));
    await reference.listen({ host: '127.0.0.1', port: 0 });
    const refPort = (reference.server.address() as { port: number }).port;
    progress(`tracking: bare Fastify GIF route for ${seconds} s`);
    const bare = await load(refPort, ['/pixel.gif'], seconds);
    report('bare fastify gif', bare, '200');
    await reference.close();
    reference = null;

    const recorder = createTrackingRecorder(deps);
    server = await buildServer(deps, { trackingRecorder: recorder });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const port = (server.server.address() as { port: number }).port;

    // How far the writes fall behind the answers (the recorder slows the answers down past 5,000).
    let maxPending = 0;
    const sampler = setInterval(() => {
      maxPending = Math.max(maxPending, recorder.stats().pending);
    }, 50);
    const results: Array<[string, LoadResult]> = [];
    progress(`tracking: open pixel for ${seconds} s`);
    const pixel = await load(port, opens, seconds);
    results.push(['open pixel', pixel]);
    progress(`tracking: click redirect for ${seconds} s`);
    const redirect = await load(port, clicks, seconds);
    results.push(['click redirect', redirect]);

    clearInterval(sampler);
    const t0 = performance.now();
    await server.close();
    server = null;
    const closeMs = performance.now() - t0;
    const stats = recorder.stats();
    const rows = await deps.store.db
      .selectFrom('message_events')
      .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('type')
      .execute();
    const count = (type: string) => Number(rows.find((r) => r.type === type)?.n ?? 0);
    // Requests sent during the warm-up and after the measured window were answered too, so the
    // table holds at least as many events as measured requests, and exactly what the buffer wrote.
    if (count('opened') < pixel.requests || count('clicked') < redirect.requests || count('opened') + count('clicked') !== stats.written || stats.dropped > 0) {
      throw new Error(`events lost: ${JSON.stringify({ rows, stats, measured: { opens: pixel.requests, clicks: redirect.requests } })}`);
    }
    for (const [subject, r] of results) {
      report(subject, r, subject === 'open pixel' ? '200' : '302', {
        dialect: 'sqlite',
        reference_requests_per_second: bare.requests_per_second,
        ratio: round(r.requests_per_second / bare.requests_per_second),
        target: `>= ${TARGET_RPS} requests/s, p99 <= ${TARGET_P99_MS} ms`,
        target_met: r.requests_per_second >= TARGET_RPS && r.latency_ms.p99 <= TARGET_P99_MS,
      });
    }
    emit({
      bench: 'tracking',
      subject: 'event writes',
      dialect: 'sqlite',
      writer: stats.writerThreadId === threadId ? 'request thread' : 'worker thread',
      events_written: stats.written,
      max_pending: maxPending,
      failed_writes: stats.failedWrites,
      dropped: stats.dropped,
      close_flush_ms: round(closeMs, 1),
    });
  } finally {
    await reference?.close();
    await server?.close();
    await opened.close();
    await database.drop();
  }
}
