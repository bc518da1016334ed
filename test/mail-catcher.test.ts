// The built-in mail catcher as a real SMTP server fed by the real SMTP transport: what it stores,
// how it links copies to the ledger, batching, retention, and the outbox API over it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../src/app/notifications/notify.ts';
import { readCatcherHeaders, type RunningMailCatcher, startMailCatcher } from '../src/inbound/mail-catcher.ts';
import type { OutgoingEmail } from '../src/transports/email/email-transport.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';

let seq = 0;
function email(to: string, extra: Partial<OutgoingEmail> = {}): OutgoingEmail {
  seq += 1;
  return {
    from: 'Acme <news@acme.example>',
    to,
    subject: `Catch ${seq}`,
    html: `<h1>Hello ${seq}</h1>`,
    text: `Hello ${seq}`,
    messageId: `c${seq}.${Math.random().toString(36).slice(2)}@acme.example`,
    ...extra,
  };
}

async function sendAll(port: number, messages: OutgoingEmail[]): Promise<void> {
  const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${port}` });
  const outcomes = await Promise.all(messages.map((m) => transport.send(m)));
  await transport.close();
  for (const o of outcomes) expect(o.kind).toBe('sent');
}

async function ledgerMessage(env: TestEnv, accountId: number, messageIdHeader: string): Promise<number> {
  const now = env.clock.now().toISOString();
  const row = await env.store.db
    .insertInto('messages')
    .values({
      account_id: accountId,
      delivery_id: 1,
      campaign_id: 1,
      contact_id: Math.floor(Math.random() * 1e9),
      channel: 'email',
      address: 'x@rcpt.example',
      status: 'sent',
      message_id_header: messageIdHeader,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function caughtCount(env: TestEnv): Promise<number> {
  const r = await env.store.db.selectFrom('caught_messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

it('reads Subject (RFC 2047) and Message-ID from folded headers', () => {
  const raw = 'From: a@b.example\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n =?UTF-8?Q?_aus_K=C3=B6ln?=\r\nMessage-ID:\r\n <abc.1@acme.example>\r\n\r\nSubject: not this\r\n';
  expect(readCatcherHeaders(raw)).toEqual({ subject: 'Grüße aus Köln', messageId: 'abc.1@acme.example' });
  expect(readCatcherHeaders('X: y\r\n\r\nbody')).toEqual({ subject: null, messageId: null });
});

describeEachDialect('mail catcher', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(get());
  });

  it('stores each message and links it to its account and ledger row by Message-ID', async () => {
    const env = get();
    const catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0 });
    const linked = email('ann@rcpt.example', { subject: 'Grüße', envelopeFrom: 'bounce@acme.example' });
    const ledgerId = await ledgerMessage(env, api.accountId, linked.messageId);
    const stray = email('bob@rcpt.example');
    await sendAll(catcher.port, [linked, stray]);
    await catcher.close();

    const rows = await env.store.db.selectFrom('caught_messages').selectAll().orderBy('id').execute();
    const a = rows.find((r) => r.raw.includes(linked.messageId))!;
    expect(a).toMatchObject({
      account_id: api.accountId,
      message_id: ledgerId,
      mail_from: 'bounce@acme.example',
      subject: 'Grüße',
      received_at: env.clock.now().toISOString(),
    });
    expect(JSON.parse(a.rcpt_to)).toEqual(['ann@rcpt.example']);
    expect(a.size).toBe(Buffer.byteLength(a.raw));
    expect(a.raw).toMatch(/^Content-Type: text\/html/m);
    const b = rows.find((r) => r.raw.includes(stray.messageId))!;
    expect(b).toMatchObject({ account_id: null, message_id: null, subject: stray.subject });
  });

  it("links Herald's own notification emails to the notification's account, so they show in its outbox", async () => {
    const env = get();
    const notificationId = await notify(env.deps, { accountId: api.accountId, kind: 'import_failed', title: 'Import 9 failed', body: 'b', data: {}, subject: null });
    const catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0 });
    const copy = email('ops@rcpt.example', { subject: '[Herald] Import 9 failed', messageId: `herald.notification.${notificationId}.7.1@localhost` });
    const unknown = email('ops@rcpt.example', { subject: 'no such notification', messageId: 'herald.notification.999999.7.1@localhost' });
    await sendAll(catcher.port, [copy, unknown]);
    await catcher.close();
    const rows = await env.store.db.selectFrom('caught_messages').select(['account_id', 'message_id', 'subject']).where('rcpt_to', 'like', '%ops@rcpt.example%').execute();
    expect(rows.map((r) => [r.subject, r.account_id, r.message_id]).sort()).toEqual([
      ['[Herald] Import 9 failed', api.accountId, null],
      ['no such notification', null, null],
    ]);
    const outbox = await api.call('GET', '/api/v1/outbox?to=ops@rcpt.example');
    expect(outbox.json.items.map((m: { subject: string }) => m.subject)).toEqual(['[Herald] Import 9 failed']);
  });

  it('batches writes and loses nothing on close', async () => {
    const env = get();
    await env.store.db.deleteFrom('caught_messages').execute();
    const catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0, flushIntervalMs: 60_000, flushSize: 10_000 });
    const messages = Array.from({ length: 60 }, (_, i) => email(`batch${i}@rcpt.example`));
    for (const m of messages.slice(0, 20)) await ledgerMessage(env, api.accountId, m.messageId);
    await sendAll(catcher.port, messages);
    // Acknowledged but not yet written: the batch waits for its timer or size.
    expect(await caughtCount(env)).toBe(0);
    await catcher.close();
    expect(await caughtCount(env)).toBe(60);
    const linked = await env.store.db.selectFrom('caught_messages').select('id').where('message_id', 'is not', null).execute();
    expect(linked).toHaveLength(20);
  });

  it('flushes by size and time while running', async () => {
    const env = get();
    await env.store.db.deleteFrom('caught_messages').execute();
    const catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0, flushIntervalMs: 20, flushSize: 5 });
    await sendAll(catcher.port, Array.from({ length: 12 }, (_, i) => email(`live${i}@rcpt.example`)));
    const deadline = Date.now() + 3000;
    while ((await caughtCount(env)) < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await caughtCount(env)).toBe(12);
    await catcher.close();
  });

  it('keeps only the newest N messages', async () => {
    const env = get();
    await env.store.db.deleteFrom('caught_messages').execute();
    const catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0, keep: 5, flushSize: 3 });
    const messages = Array.from({ length: 12 }, (_, i) => email(`keep${i}@rcpt.example`, { subject: `keep ${i}` }));
    // One at a time, so arrival order is known.
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${catcher.port}` });
    for (const m of messages) expect((await transport.send(m)).kind).toBe('sent');
    await transport.close();
    await catcher.close();
    const rows = await env.store.db.selectFrom('caught_messages').select('subject').orderBy('id').execute();
    expect(rows.map((r) => r.subject)).toEqual(['keep 7', 'keep 8', 'keep 9', 'keep 10', 'keep 11']);
  });

  it('keeps copies while the database fails, answers 451 when full, and stores them once it is back', async () => {
    const env = get();
    await env.store.db.deleteFrom('caught_messages').execute();
    const catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0, flushSize: 1, maxBuffered: 2, retryMs: 100 });
    // A real failure: the table is gone for a while.
    await sql`alter table caught_messages rename to caught_messages_away`.execute(env.store.db);
    const transport = createSmtpTransport({ url: `smtp://127.0.0.1:${catcher.port}`, pool: { maxConnections: 1 } });
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push(await transport.send(email(`down${i}@rcpt.example`)));
      await new Promise((r) => setTimeout(r, 30));
    }
    await transport.close();
    // Two copies fit the buffer; after that the sender is told to come back later.
    expect(outcomes.map((o) => o.kind)).toEqual(['sent', 'sent', 'deferred', 'deferred']);
    expect(outcomes[2]).toMatchObject({ code: 451 });
    await sql`alter table caught_messages_away rename to caught_messages`.execute(env.store.db);
    const deadline = Date.now() + 3000;
    while ((await caughtCount(env)) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Stored by the retry while running, not by close.
    expect(await caughtCount(env)).toBe(2);
    await catcher.close();
    expect(await caughtCount(env)).toBe(2);
  });

  it('refuses to start on a port in use, saying which', async () => {
    const env = get();
    const first = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0 });
    await expect(startMailCatcher(env.deps, { host: '127.0.0.1', port: first.port })).rejects.toThrow(`127.0.0.1:${first.port}`);
    await first.close();
  });

  describe('outbox API', () => describeOutbox(get, () => api));
});

function describeOutbox(get: () => TestEnv, getApi: () => TestApi): void {
  let catcher: RunningMailCatcher;
  const mine: OutgoingEmail[] = [];
  const theirs: OutgoingEmail[] = [];

  beforeAll(async () => {
    const env = get();
    const api = getApi();
    await env.store.db.deleteFrom('caught_messages').execute();
    catcher = await startMailCatcher(env.deps, { host: '127.0.0.1', port: 0 });
    mine.push(
      email('ann_1@rcpt.example', { subject: 'Spring sale' }),
      // nodemailer lower-cases the domain, the local part stays as written.
      email('Bob@Rcpt.example', { subject: 'Welcome aboard' }),
      email('ann_1@rcpt.example', { subject: 'Spring sale, last day' }),
    );
    theirs.push(email('ann_1@rcpt.example', { subject: 'Their spring sale' }));
    for (const m of mine) await ledgerMessage(env, api.accountId, m.messageId);
    for (const m of theirs) await ledgerMessage(env, api.otherAccountId, m.messageId);
    await sendAll(catcher.port, [...mine, ...theirs]);
    await catcher.flush();
  });
  afterAll(async () => {
    await catcher.close();
  });

  it('outbox: lists the account’s messages newest first, with filters and paging', async () => {
    const api = getApi();
    const all = await api.call('GET', '/api/v1/outbox');
    expect(all.status).toBe(200);
    expect(all.json.items.map((m: any) => m.subject).sort()).toEqual(['Spring sale', 'Spring sale, last day', 'Welcome aboard']);
    const ids = all.json.items.map((m: any) => m.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => y - x));
    expect(all.json.items[0]).toMatchObject({ mail_from: 'news@acme.example', message_id: expect.any(Number) });

    const toAnn = await api.call('GET', '/api/v1/outbox?to=ANN_1@rcpt.example');
    expect(toAnn.json.items).toHaveLength(2);
    // "_" is a LIKE wildcard: it must match only itself.
    expect((await api.call('GET', '/api/v1/outbox?to=annx1@rcpt.example')).json.items).toHaveLength(0);
    expect((await api.call('GET', '/api/v1/outbox?to=bob@rcpt.example')).json.items).toHaveLength(1);
    expect((await api.call('GET', '/api/v1/outbox?q=LAST%20DAY')).json.items.map((m: any) => m.subject)).toEqual(['Spring sale, last day']);
    expect((await api.call('GET', '/api/v1/outbox?q=50%25')).json.items).toHaveLength(0);

    const page1 = await api.call('GET', '/api/v1/outbox?limit=2');
    expect(page1.json.items).toHaveLength(2);
    const page2 = await api.call('GET', `/api/v1/outbox?limit=2&before=${page1.json.next_before}`);
    expect(page2.json.items).toHaveLength(1);
    expect(page2.json.next_before).toBeNull();
    expect([...page1.json.items, ...page2.json.items].map((m: any) => m.id)).toEqual(ids);
  });

  it('outbox: shows one message parsed, and its raw source', async () => {
    const api = getApi();
    const list = await api.call('GET', '/api/v1/outbox?q=Welcome');
    const id = list.json.items[0].id;
    const one = await api.call('GET', `/api/v1/outbox/${id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id, subject: 'Welcome aboard', rcpt_to: ['Bob@rcpt.example'], attachments: [] });
    expect(one.json.text.trim()).toBe(mine[1].text);
    expect(one.json.html).toContain(mine[1].html);
    expect(one.json.headers).toContainEqual({ name: 'Message-ID', value: `<${mine[1].messageId}>` });
    expect(one.json.raw).toContain('Subject: Welcome aboard');

    const raw = await api.app.inject({ method: 'GET', url: `/api/v1/outbox/${id}/raw`, headers: { authorization: `Bearer ${api.key}` } });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(raw.body).toBe(one.json.raw);
  });

  it('outbox: another account sees nothing of it and gets 404 on its ids', async () => {
    const api = getApi();
    const mineList = (await api.call('GET', '/api/v1/outbox')).json.items;
    const other = await api.call('GET', '/api/v1/outbox', undefined, api.otherKey);
    expect(other.json.items.map((m: any) => m.subject)).toEqual(['Their spring sale']);
    for (const m of mineList) {
      expect((await api.call('GET', `/api/v1/outbox/${m.id}`, undefined, api.otherKey)).status).toBe(404);
      expect((await api.call('GET', `/api/v1/outbox/${m.id}/raw`, undefined, api.otherKey)).status).toBe(404);
    }
  });

  it('outbox: clearing deletes only the caller’s messages', async () => {
    const api = getApi();
    const cleared = await api.call('DELETE', '/api/v1/outbox');
    expect(cleared).toMatchObject({ status: 200, json: { deleted: 3 } });
    expect((await api.call('GET', '/api/v1/outbox')).json.items).toHaveLength(0);
    expect((await api.call('GET', '/api/v1/outbox', undefined, api.otherKey)).json.items).toHaveLength(1);
  });
}
