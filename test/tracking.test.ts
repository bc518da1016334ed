// Open and click tracking end to end over Fastify inject: tokens from a rewritten message answer
// with the pixel and the redirect, forged tokens with 404 and no event, and the buffered events
// land with the right person-or-machine verdicts and counts (on both dialects).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../src/app/deps.ts';
import { signToken } from '../src/app/links/signed-token.ts';
import { signClickToken } from '../src/app/tracking/click-token.ts';
import { createEventBuffer } from '../src/app/tracking/event-buffer.ts';
import { trackingCounts } from '../src/app/tracking/tracking-counts.ts';
import { trackMessageHtml } from '../src/app/tracking/track-message-html.ts';
import { createTrackingRecorder, type TrackingRecorder } from '../src/app/tracking/tracking-recorder.ts';
import { createWriterThread } from '../src/app/tracking/tracking-writer.ts';
import { loadConfig } from '../src/config/load-config.ts';
import type { Interaction } from '../src/core/tracking/classify-interaction.ts';
import { registerTrackingPublicRoutes } from '../src/http/tracking-public-routes.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAccount, seedContacts, seedList } from './support/seed.ts';

const T0 = '2026-03-02T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const GMAIL = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const PROXY_RANGES_FILE = new URL('../examples/proxy-ranges.txt', import.meta.url).pathname;

async function seedCampaign(deps: AppDeps, accountId: number, contacts: number[]): Promise<{ campaignId: number; messageIds: number[] }> {
  const db = deps.store.db;
  const campaign = await db
    .insertInto('campaigns')
    .values({ account_id: accountId, name: 'C', channel: 'email', kind: 'one-off', status: 'completed', template_id: null, from_email: null, from_name: null, reply_to: null, audience: '{}', scheduled_at: null, created_at: T0, updated_at: T0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const delivery = await db
    .insertInto('deliveries')
    .values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T0, prepared_at: T0, started_at: T0, finished_at: T0, status_reason: null, created_at: T0, updated_at: T0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const messageIds: number[] = [];
  for (const contact of contacts) {
    const m = await db
      .insertInto('messages')
      .values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: contact, channel: 'email', address: `c${contact}@example.com`, status: 'sent', reason: null, next_attempt_at: null, sent_at: T0, created_at: T0, updated_at: T0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    messageIds.push(m.id);
  }
  return { campaignId: campaign.id, messageIds };
}

async function trackingApp(deps: AppDeps, recorder: TrackingRecorder): Promise<FastifyInstance> {
  const app = Fastify();
  registerTrackingPublicRoutes(app, deps, recorder);
  await app.ready();
  return app;
}

describeEachDialect('open and click tracking', (get, dialect) => {
  let app: FastifyInstance;
  let recorder: TrackingRecorder;
  let accountId: number;
  let otherAccountId: number;
  let contacts: number[];
  let campaign: { campaignId: number; messageIds: number[] };
  const request = (method: 'GET' | 'HEAD', url: string, ua = BROWSER, ip = '203.0.113.5') =>
    app.inject({ method, url, headers: { 'user-agent': ua }, remoteAddress: ip });
  const openPath = (messageId: number) => `/o/${signToken(get().deps.config.secret, 'open', messageId)}.gif`;
  const clickPath = (messageId: number, url: string, linkCount = 2) => `/l/${signClickToken(get().deps.config.secret, { messageId, linkCount, url })}`;

  beforeAll(async () => {
    const { deps } = get();
    accountId = await seedAccount(deps, 'Tracked');
    otherAccountId = await seedAccount(deps, 'Other');
    const list = await seedList(deps.store.db, accountId, 'L');
    contacts = await seedContacts(deps.store.db, accountId, [1, 2, 3, 4].map((n) => ({ email: `c${n}@example.com`, lists: [[list, 'subscribed']] })));
    campaign = await seedCampaign(deps, accountId, contacts.slice(0, 3));
    // A long interval: only flush() and close() write in these tests.
    recorder = createTrackingRecorder(deps, { proxyRangesFile: PROXY_RANGES_FILE, intervalMs: 60_000 });
    app = await trackingApp(deps, recorder);
  });
  afterAll(async () => {
    await app.close();
  });

  it('links of a rewritten message redirect to their target; the pixel is a 43-byte GIF', async () => {
    const { deps } = get();
    const [m1] = campaign.messageIds;
    const unsubscribeUrl = `${deps.config.publicUrl}/u/x`;
    const html = trackMessageHtml(deps.config, m1, `<body><a href="https://shop.example/a?x=1&amp;y=2">A</a><a href="${unsubscribeUrl}">U</a></body>`, unsubscribeUrl);
    const hrefs = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
    expect(hrefs[1]).toBe(unsubscribeUrl);
    expect(hrefs[2]).toMatch(/\/o\/[^/]+\.gif$/);

    const link = await request('GET', hrefs[0].slice(deps.config.publicUrl.length));
    expect(link.statusCode).toBe(302);
    expect(link.headers.location).toBe('https://shop.example/a?x=1&y=2');
    const pixel = await request('GET', hrefs[2].slice(deps.config.publicUrl.length));
    expect(pixel.statusCode).toBe(200);
    expect(pixel.headers['content-type']).toBe('image/gif');
    expect(pixel.headers['cache-control']).toBe('no-store');
    expect(pixel.rawPayload.length).toBe(43);
    await recorder.flush();
    const events = await deps.store.db.selectFrom('message_events').select(['type', 'message_id']).where('message_id', '=', m1).execute();
    expect(events.map((e) => e.type).sort()).toEqual(['clicked', 'opened']);
    await deps.store.db.deleteFrom('message_events').execute();
    await deps.store.db.updateTable('messages').set({ opened_at: null, human_opened_at: null, clicked_at: null, human_clicked_at: null }).execute();
  });

  it('a forged, altered or truncated token is a 404 and records nothing', async () => {
    const { deps } = get();
    const [m1] = campaign.messageIds;
    const good = clickPath(m1, 'https://shop.example/a');
    const goodOpen = openPath(m1);
    const evil = Buffer.from('https://evil.example/').toString('base64url');
    for (const path of [
      good.slice(0, -1),
      good.replace(/\.[^.]+(\.[^.]+)$/, `.${evil}$1`),
      `/l/${signClickToken('another-secret', { messageId: m1, linkCount: 2, url: 'https://evil.example/' })}`,
      `/l/${signToken(deps.config.secret, 'open', m1)}`,
      '/l/',
      '/l/..%2F..%2Fetc',
      goodOpen.replace('.gif', '.png'),
      goodOpen.slice(0, -5) + '.gif',
      `/o/${signToken(deps.config.secret, 'unsubscribe', m1)}.gif`,
    ]) {
      for (const method of ['GET', 'HEAD'] as const) {
        const res = await request(method, path);
        expect(res.statusCode, `${method} ${path}`).toBe(404);
        expect(res.headers.location).toBeUndefined();
      }
    }
    await recorder.flush();
    const n = await deps.store.db.selectFrom('message_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('records who opened and clicked, person or machine, and counts totals and unique people', async () => {
    const { deps, clock } = get();
    const [m1, m2, m3] = campaign.messageIds;
    const A = 'https://shop.example/a';
    const B = 'https://shop.example/b';

    clock.set(at(3));
    expect((await request('GET', clickPath(m1, A))).statusCode).toBe(302); // 3 s after the hand-off: a scanner
    clock.set(at(1800));
    await request('GET', openPath(m1), 'Mozilla/5.0', '17.58.1.1'); // Apple MPP range (examples/proxy-ranges.txt)
    clock.set(at(3600));
    await request('GET', openPath(m1), BROWSER, '::ffff:203.0.113.5');
    await request('GET', openPath(m2), GMAIL, '66.249.84.1');
    for (const s of [3700, 3800, 3900]) {
      clock.set(at(s));
      await request('GET', clickPath(m1, A)); // one person, three clicks
    }
    clock.set(at(4000));
    await request('GET', clickPath(m2, B), 'curl/8.5.0');
    const head = await request('HEAD', clickPath(m2, A));
    expect(head.statusCode).toBe(200);
    expect(head.headers.location).toBeUndefined();
    clock.set(at(4100));
    await request('GET', clickPath(m3, A));
    expect(recorder.stats().pending).toBe(10);
    await recorder.flush();

    const events = await deps.store.db
      .selectFrom('message_events')
      .select(['message_id', 'type', 'machine', 'data', 'occurred_at', 'account_id', 'contact_id'])
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
    const rows = events.map((e) => {
      const d = JSON.parse(e.data);
      return [e.message_id, e.type, e.machine, d.url ?? null, d.why];
    });
    expect(rows).toEqual([
      [m1, 'clicked', 1, A, 'clicked 3.0 s after the hand-off (under 10 s)'],
      [m1, 'opened', 1, null, 'privacy proxy address (e.g. Apple Mail Privacy Protection prefetch)'],
      [m1, 'opened', 0, null, 'mail client'],
      [m2, 'opened', 0, null, 'Gmail image proxy: it fetches the pixel when the person opens the message'],
      [m1, 'clicked', 0, A, 'browser'],
      [m1, 'clicked', 0, A, 'browser'],
      [m1, 'clicked', 0, A, 'browser'],
      [m2, 'clicked', 1, B, 'user agent: HTTP library, not a mail client or browser'],
      [m2, 'clicked', 1, A, 'HEAD request: scanners check links without fetching them'],
      [m3, 'clicked', 0, A, 'browser'],
    ]);
    expect(events.every((e) => e.account_id === accountId)).toBe(true);
    expect(JSON.parse(events[2].data)).toMatchObject({ ip: '::ffff:203.0.113.5', user_agent: BROWSER });

    const ledger = await deps.store.db.selectFrom('messages').selectAll().where('id', '=', m1).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ opened_at: at(1800), human_opened_at: at(3600), clicked_at: at(3), human_clicked_at: at(3700) });

    expect(await trackingCounts(deps, accountId, campaign.campaignId)).toEqual({
      opens_total: 3,
      opens_human: 2,
      unique_openers: 2,
      unique_human_openers: 2,
      clicks_total: 7,
      clicks_human: 4,
      unique_clickers: 3,
      unique_human_clickers: 2,
      clicks_by_url: [
        { url: A, clicks: 6, clicks_human: 4, unique_clickers: 3, unique_human_clickers: 2 },
        { url: B, clicks: 1, clicks_human: 0, unique_clickers: 1, unique_human_clickers: 0 },
      ],
    });
    // Another account asking about this campaign id sees nothing.
    expect(await trackingCounts(deps, otherAccountId, campaign.campaignId)).toMatchObject({ opens_total: 0, clicks_total: 0, clicks_by_url: [] });
  });

  it('every link of a message clicked within seconds is a scanner, also across flushes', async () => {
    const { deps, clock } = get();
    const other = await seedCampaign(deps, accountId, [contacts[3]]);
    const [m] = other.messageIds;
    const links = ['https://shop.example/1', 'https://shop.example/2', 'https://shop.example/3'];
    clock.set(at(7200));
    await request('GET', clickPath(m, links[0], 3));
    await recorder.flush();
    clock.set(at(7201));
    await request('GET', clickPath(m, links[1], 3));
    clock.set(at(7202));
    await request('GET', clickPath(m, links[2], 3));
    await recorder.flush();
    const events = await deps.store.db.selectFrom('message_events').select(['machine', 'data']).where('message_id', '=', m).orderBy('occurred_at').execute();
    expect(events.map((e) => [e.machine, JSON.parse(e.data).why])).toEqual([
      // Already written as a person before the burst was complete.
      [0, 'browser'],
      [1, 'all 3 links of the message clicked within 5 s'],
      [1, 'all 3 links of the message clicked within 5 s'],
    ]);
  });

  it('closing the server writes what is still buffered', async () => {
    const { deps, clock } = get();
    const own = createTrackingRecorder(deps, { intervalMs: 60_000 });
    const server = await trackingApp(deps, own);
    const [, , m3] = campaign.messageIds;
    clock.set(at(9000));
    for (let i = 0; i < 25; i++) await server.inject({ method: 'GET', url: openPath(m3), headers: { 'user-agent': BROWSER } });
    expect(own.stats().pending).toBe(25);
    await server.close();
    const n = await deps.store.db
      .selectFrom('message_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', '=', m3)
      .where('type', '=', 'opened')
      .where('occurred_at', '=', at(9000))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(25);
    expect(own.stats()).toMatchObject({ pending: 0, written: 25, dropped: 0 });
  });

  it('writes in a worker thread on SQLite and on the request thread on PostgreSQL, unless told otherwise', async () => {
    expect(recorder.stats().writerThreadId).not.toBeNull();
    if (dialect === 'sqlite') expect(recorder.stats().writerThreadId).not.toBe(threadId);
    else expect(recorder.stats().writerThreadId).toBe(threadId);

    // The other way round on each dialect: the memory of recent clicks (for the every-link rule)
    // and every counter go with the writer, and close() drains it.
    const { deps, clock } = get();
    const other = await seedCampaign(deps, accountId, [contacts[3]]);
    const [m] = other.messageIds;
    const own = createTrackingRecorder(deps, { intervalMs: 60_000, writerThread: dialect !== 'sqlite' });
    const server = await trackingApp(deps, own);
    const links = ['https://shop.example/x', 'https://shop.example/y'];
    clock.set(at(10_000));
    await server.inject({ method: 'GET', url: clickPath(m, links[0]), headers: { 'user-agent': BROWSER } });
    await own.flush();
    const firstWriter = own.stats().writerThreadId;
    if (dialect === 'sqlite') expect(firstWriter).toBe(threadId);
    else expect(firstWriter).not.toBe(threadId);
    clock.set(at(10_001));
    await server.inject({ method: 'GET', url: clickPath(m, links[1]), headers: { 'user-agent': BROWSER } });
    await server.inject({ method: 'GET', url: openPath(m), headers: { 'user-agent': BROWSER } });
    expect(own.stats()).toMatchObject({ pending: 2, written: 1 });
    await server.close();
    expect(own.stats()).toMatchObject({ pending: 0, written: 3, dropped: 0, failedWrites: 0, writerThreadId: firstWriter });
    const events = await deps.store.db.selectFrom('message_events').select(['type', 'machine', 'data']).where('message_id', '=', m).orderBy('id').execute();
    expect(events.map((e) => [e.type, e.machine, JSON.parse(e.data).why])).toEqual([
      ['clicked', 0, 'browser'],
      ['clicked', 1, 'all 2 links of the message clicked within 5 s'],
      ['opened', 0, 'mail client'],
    ]);
  });

  it('a write that fails in the writer is kept and written by the next round', async () => {
    const { deps, clock } = get();
    const [m1] = campaign.messageIds;
    const own = createTrackingRecorder(deps, { intervalMs: 60_000 });
    const server = await trackingApp(deps, own);
    clock.set(at(11_000));
    await server.inject({ method: 'GET', url: openPath(m1), headers: { 'user-agent': BROWSER } });
    // A trigger that refuses new events makes the writer's transaction fail, on its own connection.
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER tracking_test_refuse BEFORE INSERT ON message_events BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`.execute(deps.store.db);
    } else {
      await sql`CREATE FUNCTION tracking_test_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql`.execute(deps.store.db);
      await sql`CREATE TRIGGER tracking_test_refuse BEFORE INSERT ON message_events FOR EACH ROW EXECUTE FUNCTION tracking_test_refuse()`.execute(deps.store.db);
    }
    await expect(own.flush()).rejects.toThrow(/failed/);
    expect(own.stats()).toMatchObject({ pending: 1, written: 0, failedWrites: 1 });
    await sql`DROP TRIGGER tracking_test_refuse${sql.raw(dialect === 'sqlite' ? '' : ' ON message_events')}`.execute(deps.store.db);
    await server.close();
    expect(own.stats()).toMatchObject({ pending: 0, written: 1, dropped: 0, failedWrites: 1 });
    const n = await deps.store.db
      .selectFrom('message_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', '=', m1)
      .where('occurred_at', '=', at(11_000))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('asks requests to wait a little only while the writes are several batches behind', async () => {
    const { deps, clock } = get();
    const [, m2] = campaign.messageIds;
    const own = createTrackingRecorder(deps, { intervalMs: 60_000, maxBatch: 100 });
    clock.set(at(12_000));
    const item = { kind: 'open' as const, messageId: m2, method: 'GET' as const, ip: '203.0.113.5', userAgent: BROWSER, at: at(12_000) };
    for (let i = 0; i < 499; i++) own.push(item);
    // The first 100 went to the writer at once; all 499 are still waiting or being written.
    expect(own.stats().pending).toBe(499);
    expect(own.slowDown()).toBeNull();
    own.push(item);
    const wait = own.slowDown();
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    await own.close();
    expect(own.stats()).toMatchObject({ pending: 0, written: 500, dropped: 0 });
    expect(own.slowDown()).toBeNull();
  });
});

describe('tracking writer thread', () => {
  it('when the thread cannot start, the batch fails (the buffer keeps it) and later batches are written on this thread', async () => {
    const errors: unknown[] = [];
    const log = { level: 'silent', error: (o: unknown) => errors.push(o) } as unknown as AppDeps['log'];
    // A database under a regular file: the thread fails while opening it.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-')), 'not-a-directory');
    fs.writeFileSync(file, '');
    const config = loadConfig({ HERALD_DATABASE_URL: `sqlite:${file}/herald.db`, HERALD_CATCHER: 'off' });
    const here: Interaction[][] = [];
    const writer = createWriterThread({
      config,
      proxyRangesFile: null,
      log,
      writeHere: async (items) => {
        here.push(items);
        return threadId;
      },
    });
    const item: Interaction = { kind: 'open', messageId: 1, method: 'GET', ip: '203.0.113.5', userAgent: BROWSER, at: T0 };
    await expect(writer.write([item])).rejects.toThrow(/stopped/);
    expect(await writer.write([item, item])).toBe(threadId);
    expect(here).toEqual([[item, item]]);
    expect(errors.length).toBeGreaterThan(0);
    await writer.close();
  });
});

describe('event buffer', () => {
  const log = { error() {}, warn() {}, info() {}, debug() {}, child: () => log } as unknown as AppDeps['log'];

  it('writes a full batch at once without waiting for the timer, and the rest on the timer', async () => {
    const writes: number[][] = [];
    const buffer = createEventBuffer<number>({ write: async (items) => void writes.push(items), log, intervalMs: 20, maxBatch: 4 });
    for (let i = 0; i < 6; i++) buffer.push(i);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[0, 1, 2, 3]]);
    await new Promise((r) => setTimeout(r, 60));
    expect(writes).toEqual([[0, 1, 2, 3], [4, 5]]);
    await buffer.close();
  });

  it('keeps the items of a failed write, in order, and writes them with the next round', async () => {
    const written: number[] = [];
    let fail = true;
    const buffer = createEventBuffer<number>({
      write: async (items) => {
        if (fail) throw new Error('database is down');
        written.push(...items);
      },
      log,
      intervalMs: 10,
      maxBatch: 100,
    });
    buffer.push(1);
    buffer.push(2);
    await expect(buffer.flush()).rejects.toThrow(/failed/);
    buffer.push(3);
    fail = false;
    await buffer.close();
    expect(written).toEqual([1, 2, 3]);
    expect(buffer.stats()).toMatchObject({ pending: 0, written: 3, dropped: 0, failedWrites: 1 });
    buffer.push(4);
    expect(buffer.stats().dropped).toBe(1);
  });
});
