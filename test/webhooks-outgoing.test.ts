// Outgoing webhooks end to end: a real HTTP receiver on 127.0.0.1 gets signed batches of the
// subscribed events, a failing receiver is retried with backoff on the test clock and disabled
// at the end of its streak, and one account's key never reaches another account's endpoints.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { recordEvents } from '../src/app/events/record-events.ts';
import type { WebhookConfig } from '../src/app/webhooks/webhook-config.ts';
import { verifyWebhookSignature } from '../src/core/webhooks/outgoing-signature.ts';
import { checkWebhookUrl } from '../src/core/webhooks/webhook-url.ts';
import { buildRouteTable } from '../src/http/route-table.ts';
import { webhookRoutes } from '../src/http/routes/webhooks.ts';
import { buildServer } from '../src/http/server.ts';
import { dispatchWebhooks } from '../src/workers/webhook-dispatcher.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { seedAccount } from './support/seed.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request, answers with `status` (settable). */
async function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(state.status, { 'content-type': 'text/plain' }).end(state.status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function allowLoopback(env: TestEnv, allow: boolean) {
  const webhooks: WebhookConfig = { allowLoopbackHttp: allow, snsCertificatesPath: null };
  env.deps.config = Object.assign({}, env.deps.config, { webhooks });
}

async function apiFor(env: TestEnv) {
  const accountId = await seedAccount(env.deps, 'Acme');
  const otherAccountId = await seedAccount(env.deps, 'Other');
  const { key } = await createApiKey(env.deps, { accountId, name: 't', role: 'owner' });
  const { key: otherKey } = await createApiKey(env.deps, { accountId: otherAccountId, name: 't', role: 'owner' });
  // Once the lead adds webhookRoutes to the route table, they are not added twice.
  const inTable = buildRouteTable().some((r) => r.url === '/api/v1/webhooks');
  const app: FastifyInstance = await buildServer(env.deps, { routes: inTable ? [] : webhookRoutes });
  await app.ready();
  const call = async (method: string, url: string, body?: unknown, useKey = key) => {
    const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${useKey}` }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, json: res.body ? res.json() : null };
  };
  return { app, accountId, otherAccountId, key, otherKey, call };
}

let seeded = 0;
async function seedMessage(env: TestEnv, accountId: number): Promise<number> {
  seeded += 1;
  const email = `c${accountId}.${seeded}@example.com`;
  const T = '2026-03-02T09:00:00.000Z';
  const db = env.store.db;
  const contact = await db.insertInto('contacts').values({ account_id: accountId, email, phone: null, first_name: null, last_name: null, timezone: null, locale: null, postal_address: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  const campaign = await db.insertInto('campaigns').values({ account_id: accountId, name: 'C', channel: 'email', kind: 'one-off', status: 'completed', template_id: null, from_email: null, from_name: null, reply_to: null, audience: '{}', scheduled_at: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  const delivery = await db.insertInto('deliveries').values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T, prepared_at: T, started_at: T, finished_at: T, status_reason: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  const m = await db.insertInto('messages').values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: contact.id, channel: 'email', address: email, status: 'sent', reason: null, next_attempt_at: null, sent_at: T, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  return m.id;
}

const unix = (env: TestEnv) => Math.floor(env.clock.now().getTime() / 1000);

describeEachDialect('outgoing webhooks', (get) => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let api: Awaited<ReturnType<typeof apiFor>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    allowLoopback(get(), true);
    api = await apiFor(get());
  });
  afterAll(async () => {
    await api.app.close();
    await receiver.close();
  });

  it('sends signed batches of the subscribed events of its own account, once, after they settle', async () => {
    const env = get();
    receiver.received.length = 0;
    receiver.state.status = 200;
    const created = await api.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['bounced', 'opened'], description: 'CRM' });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const { id, secret } = created.json;

    const mine = await seedMessage(env, api.accountId);
    const theirs = await seedMessage(env, api.otherAccountId);
    const at = env.clock.now().toISOString();
    await recordEvents(env.deps, [
      { accountId: api.accountId, messageId: mine, type: 'opened', occurredAt: at, machine: false },
      { accountId: api.accountId, messageId: mine, type: 'delivered', occurredAt: at },
      { accountId: api.otherAccountId, messageId: theirs, type: 'opened', occurredAt: at, machine: false },
      { accountId: api.accountId, messageId: mine, type: 'bounced', occurredAt: at, data: { bounce_class: 'hard' } },
    ]);

    // Too fresh: a transaction that took lower ids might still commit.
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toEqual({ delivered: 0, failed: 0, disabled: 0 });
    expect(receiver.received).toHaveLength(0);
    env.clock.advance(6000);
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toEqual({ delivered: 1, failed: 0, disabled: 0 });
    expect(receiver.received).toHaveLength(1);
    const req = receiver.received[0];
    expect(verifyWebhookSignature(secret, String(req.headers['herald-signature']), req.body, unix(env))).toBe(true);
    expect(verifyWebhookSignature(secret, String(req.headers['herald-signature']), `${req.body} `, unix(env))).toBe(false);
    expect(verifyWebhookSignature('whsec_other', String(req.headers['herald-signature']), req.body, unix(env))).toBe(false);
    const batch = JSON.parse(req.body);
    expect(batch.map((e: { type: string; message_id: number; address: string }) => [e.type, e.message_id, e.address])).toEqual([
      ['opened', mine, expect.stringMatching(/@example\.com$/)],
      ['bounced', mine, expect.stringMatching(/@example\.com$/)],
    ]);
    expect(batch[1].data).toEqual({ bounce_class: 'hard' });

    // Nothing new: nothing sent again.
    env.clock.advance(6000);
    await dispatchWebhooks(env.deps, env.clock.now());
    expect(receiver.received).toHaveLength(1);
    const ep = await api.call('GET', `/api/v1/webhooks/${id}`);
    expect(ep.json).toMatchObject({ status: 'active', failure_streak: 0, cursor_event_id: batch[1].id });
    const log = await api.call('GET', `/api/v1/webhooks/${id}/deliveries`);
    expect(log.json.items).toEqual([expect.objectContaining({ ok: true, status_code: 200, first_event_id: batch[0].id, last_event_id: batch[1].id, event_count: 2, test: false })]);

    // More than one batch's worth: 100 per request, in order.
    await recordEvents(
      env.deps,
      Array.from({ length: 130 }, () => ({ accountId: api.accountId, messageId: mine, type: 'opened' as const, occurredAt: at, machine: true })),
    );
    env.clock.advance(6000);
    await dispatchWebhooks(env.deps, env.clock.now());
    await dispatchWebhooks(env.deps, env.clock.now());
    expect(receiver.received.slice(1).map((r) => JSON.parse(r.body).length)).toEqual([100, 30]);
    await api.call('DELETE', `/api/v1/webhooks/${id}`);
  });

  it('retries a failing endpoint with growing delays, resumes where it stopped, and disables it at the end of the streak', async () => {
    const env = get();
    receiver.received.length = 0;
    receiver.state.status = 500;
    const { json } = await api.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['complained'] });
    const id = json.id;
    const mine = await seedMessage(env, api.accountId);
    await recordEvents(env.deps, [{ accountId: api.accountId, messageId: mine, type: 'complained', occurredAt: env.clock.now().toISOString() }]);
    env.clock.advance(6000);

    expect(await dispatchWebhooks(env.deps, env.clock.now())).toMatchObject({ failed: 1 });
    let ep = (await api.call('GET', `/api/v1/webhooks/${id}`)).json;
    expect(ep.failure_streak).toBe(1);
    expect(Date.parse(ep.next_attempt_at) - env.clock.now().getTime()).toBe(30_000);
    // Not due yet: no request.
    env.clock.advance(29_000);
    await dispatchWebhooks(env.deps, env.clock.now());
    expect(receiver.received).toHaveLength(1);
    env.clock.advance(1_000);
    await dispatchWebhooks(env.deps, env.clock.now());
    expect(receiver.received).toHaveLength(2);
    ep = (await api.call('GET', `/api/v1/webhooks/${id}`)).json;
    expect(ep.failure_streak).toBe(2);
    expect(Date.parse(ep.next_attempt_at) - env.clock.now().getTime()).toBe(60_000);

    // The receiver recovers: the same events arrive, the streak ends.
    receiver.state.status = 200;
    env.clock.advance(60_000);
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toMatchObject({ delivered: 1 });
    expect(receiver.received.map((r) => JSON.parse(r.body)[0].type)).toEqual(['complained', 'complained', 'complained']);
    ep = (await api.call('GET', `/api/v1/webhooks/${id}`)).json;
    expect(ep).toMatchObject({ failure_streak: 0, next_attempt_at: null, status: 'active' });
    const log = (await api.call('GET', `/api/v1/webhooks/${id}/deliveries`)).json.items;
    expect(log.map((d: { status_code: number; ok: boolean }) => [d.status_code, d.ok])).toEqual([
      [200, true],
      [500, false],
      [500, false],
    ]);
    expect(log[1].error).toBe('HTTP 500: nope');

    // A long streak disables the endpoint; enabling resumes at its cursor.
    receiver.state.status = 503;
    await recordEvents(env.deps, [{ accountId: api.accountId, messageId: mine, type: 'complained', occurredAt: env.clock.now().toISOString() }]);
    await env.store.db.updateTable('webhook_endpoints').set({ failure_streak: 14 }).where('id', '=', id).execute();
    env.clock.advance(6000);
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toMatchObject({ disabled: 1 });
    ep = (await api.call('GET', `/api/v1/webhooks/${id}`)).json;
    expect(ep.status).toBe('disabled');
    expect(ep.disabled_reason).toMatch(/15 failed attempts in a row/);
    env.clock.advance(24 * 3600_000);
    const before = receiver.received.length;
    await dispatchWebhooks(env.deps, env.clock.now());
    expect(receiver.received).toHaveLength(before);
    receiver.state.status = 200;
    expect((await api.call('PATCH', `/api/v1/webhooks/${id}`, { enabled: true })).json).toMatchObject({ status: 'active', failure_streak: 0 });
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toMatchObject({ delivered: 1 });

    // 410 Gone: disabled at once.
    receiver.state.status = 410;
    await recordEvents(env.deps, [{ accountId: api.accountId, messageId: mine, type: 'complained', occurredAt: env.clock.now().toISOString() }]);
    env.clock.advance(6000);
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toMatchObject({ disabled: 1 });
    expect((await api.call('GET', `/api/v1/webhooks/${id}`)).json.disabled_reason).toMatch(/410/);
    await api.call('DELETE', `/api/v1/webhooks/${id}`);
  });

  it('logs an endpoint that refuses connections, with no status and the error', async () => {
    const env = get();
    const closed = await startReceiver();
    await closed.close();
    const { json } = await api.call('POST', '/api/v1/webhooks', { url: closed.url, events: ['unsubscribed'] });
    const mine = await seedMessage(env, api.accountId);
    await recordEvents(env.deps, [{ accountId: api.accountId, messageId: mine, type: 'unsubscribed', occurredAt: env.clock.now().toISOString() }]);
    env.clock.advance(6000);
    expect(await dispatchWebhooks(env.deps, env.clock.now())).toMatchObject({ failed: 1 });
    const log = (await api.call('GET', `/api/v1/webhooks/${json.id}/deliveries`)).json.items;
    expect(log[0]).toMatchObject({ ok: false, status_code: null, error: 'ECONNREFUSED', event_count: 1 });
    await api.call('DELETE', `/api/v1/webhooks/${json.id}`);
  });

  it('sends a signed test event on request', async () => {
    receiver.received.length = 0;
    receiver.state.status = 200;
    const { json } = await api.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['sent'] });
    const res = await api.call('POST', `/api/v1/webhooks/${json.id}/test`);
    expect(res.json).toMatchObject({ ok: true, status_code: 200, test: true, event_count: 1 });
    expect(JSON.parse(receiver.received[0].body)[0]).toMatchObject({ type: 'test' });
    expect(verifyWebhookSignature(json.secret, String(receiver.received[0].headers['herald-signature']), receiver.received[0].body, unix(get()))).toBe(true);
    // A rotated secret signs from then on; the old one no longer verifies.
    const rotated = (await api.call('PATCH', `/api/v1/webhooks/${json.id}`, { rotate_secret: true })).json;
    expect(rotated.secret).not.toBe(json.secret);
    await api.call('POST', `/api/v1/webhooks/${json.id}/test`);
    const r = receiver.received[1];
    expect(verifyWebhookSignature(rotated.secret, String(r.headers['herald-signature']), r.body, unix(get()))).toBe(true);
    expect(verifyWebhookSignature(json.secret, String(r.headers['herald-signature']), r.body, unix(get()))).toBe(false);
    await api.call('DELETE', `/api/v1/webhooks/${json.id}`);
  });

  it("never shows or changes another account's endpoints", async () => {
    const { json } = await api.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['opened'] });
    const id = json.id;
    expect((await api.call('GET', '/api/v1/webhooks', undefined, api.otherKey)).json.items).toEqual([]);
    for (const [method, url, body] of [
      ['GET', `/api/v1/webhooks/${id}`],
      ['PATCH', `/api/v1/webhooks/${id}`, { enabled: false }],
      ['GET', `/api/v1/webhooks/${id}/deliveries`],
      ['POST', `/api/v1/webhooks/${id}/test`],
      ['DELETE', `/api/v1/webhooks/${id}`],
    ] as const) {
      const res = await api.call(method, url, body, api.otherKey);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect((await api.call('GET', `/api/v1/webhooks/${id}`)).json.status).toBe('active');
    await api.call('DELETE', `/api/v1/webhooks/${id}`);
  });

  it('refuses URLs Herald must not call and unknown event types, naming the field', async () => {
    const env = get();
    allowLoopback(env, false);
    try {
      const http127 = await api.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['opened'] });
      expect(http127.status).toBe(422);
      expect(http127.json.error.field).toBe('url');
      const metadata = await api.call('POST', '/api/v1/webhooks', { url: 'https://169.254.169.254/latest', events: ['opened'] });
      expect(metadata.json.error).toMatchObject({ field: 'url' });
      const ok = await api.call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/herald', events: ['opened', 'clicked'] });
      expect(ok.status).toBe(201);
      await api.call('DELETE', `/api/v1/webhooks/${ok.json.id}`);
      const badEvent = await api.call('POST', '/api/v1/webhooks', { url: 'https://hooks.example.com/herald', events: ['opened', 'exploded'] });
      expect(badEvent.status).toBe(400);
      expect(badEvent.json.error.field).toBe('events[1]');
    } finally {
      allowLoopback(env, true);
    }
  });
});

it('decides which webhook URLs are allowed', () => {
  expect(checkWebhookUrl('https://hooks.example.com/x', false).ok).toBe(true);
  expect(checkWebhookUrl('http://hooks.example.com/x', true).ok).toBe(false);
  expect(checkWebhookUrl('http://127.0.0.1:9000/x', true).ok).toBe(true);
  expect(checkWebhookUrl('http://127.0.0.1:9000/x', false).ok).toBe(false);
  expect(checkWebhookUrl('https://10.1.2.3/x', false).ok).toBe(false);
  expect(checkWebhookUrl('https://[::1]/x', false).ok).toBe(false);
  expect(checkWebhookUrl('https://user:pw@hooks.example.com/x', false).ok).toBe(false);
  expect(checkWebhookUrl('not a url', false).ok).toBe(false);
});
