// Double opt-in (F1.11): requests are created once per (contact, list), the confirmation email
// really arrives with a working link, GET never decides, POST confirm/decline records evidence
// and releases the contact's waiting ledger rows, requests expire, the decision's loader folds
// them right, and one account never sees another's requests.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { createAccount } from '../src/app/accounts/bootstrap.ts';
import { ensureConsentRequests, requestConsentForUnconfirmed } from '../src/app/consent/create-missing-requests.ts';
import { expireConsentRequests } from '../src/app/consent/expire-consent-requests.ts';
import { loadConsentFacts } from '../src/app/consent/load-consent-facts.ts';
import { requestConsent } from '../src/app/consent/request-consent.ts';
import { sendPendingConfirmations } from '../src/app/consent/send-confirmations.ts';
import { answerConsent } from '../src/core/consent-answer.ts';
import { consentSettings } from '../src/core/consent-settings.ts';
import { buildServer } from '../src/http/server.ts';
import type { Database } from '../src/store/schema.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { createTestEnv, describeEachDialect, type TestEnv } from './support/dialects.ts';
import { seedContacts, seedList } from './support/seed.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

const START = '2026-03-02T10:00:00.000Z';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function doubleOptInList(db: Kysely<Database>, accountId: number, name: string): Promise<number> {
  const id = await seedList(db, accountId, name);
  await db.updateTable('lists').set({ opt_in: 'double' }).where('id', '=', id).execute();
  return id;
}

async function consentServer(env: TestEnv): Promise<FastifyInstance> {
  // The consent routes are in the route table and the confirm page is registered by the server.
  const app = await buildServer(env.deps);
  await app.ready();
  return app;
}

/** A ledger row waiting for consent, as prepare-delivery writes it. */
async function waitingMessage(db: Kysely<Database>, accountId: number, contactId: number, until: string): Promise<number> {
  const r = await db
    .insertInto('messages')
    .values({
      account_id: accountId,
      delivery_id: 1,
      campaign_id: 1,
      contact_id: contactId,
      channel: 'email',
      address: null,
      status: 'deferred',
      reason: 'consent_pending',
      next_attempt_at: until,
      lease_owner: null,
      lease_expires_at: null,
      response: null,
      failure_class: null,
      message_id_header: null,
      sent_at: null,
      created_at: START,
      updated_at: START,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

const requestsOf = (db: Kysely<Database>, accountId: number) =>
  db.selectFrom('consent_requests').selectAll().where('account_id', '=', accountId).orderBy('id').execute();

describe('consent rules (pure)', () => {
  it('reads consent settings with defaults and names bad values', () => {
    expect(consentSettings('{}')).toEqual({ expiry_hours: 72, default_from_email: null, problems: [] });
    expect(consentSettings('{"consent_expiry_hours":24,"default_from_email":" Hello@Acme.example "}')).toEqual({
      expiry_hours: 24,
      default_from_email: 'hello@acme.example',
      problems: [],
    });
    const bad = consentSettings('{"consent_expiry_hours":0.5,"default_from_email":"nope"}');
    expect(bad.expiry_hours).toBe(72);
    expect(bad.default_from_email).toBeNull();
    expect(bad.problems).toEqual([expect.stringMatching(/^settings\.consent_expiry_hours: /), 'settings.default_from_email: missing @']);
    expect(consentSettings('not json').problems).toEqual(['settings: is not valid JSON']);
  });

  it('takes an answer only while pending and in time; replays are harmless', () => {
    const now = new Date(START);
    const pending = { status: 'pending', expires_at: '2026-03-03T10:00:00.000Z' };
    expect(answerConsent(pending, 'confirm', now)).toEqual({ kind: 'record', status: 'confirmed' });
    expect(answerConsent(pending, 'decline', now)).toEqual({ kind: 'record', status: 'declined' });
    expect(answerConsent({ ...pending, expires_at: START }, 'confirm', now)).toEqual({ kind: 'expired' });
    expect(answerConsent({ ...pending, status: 'confirmed' }, 'confirm', now)).toEqual({ kind: 'replay', status: 'confirmed' });
    expect(answerConsent({ ...pending, status: 'confirmed' }, 'decline', now)).toEqual({ kind: 'already_decided', status: 'confirmed' });
    expect(answerConsent({ ...pending, status: 'expired' }, 'confirm', now)).toEqual({ kind: 'expired' });
  });
});

describeEachDialect('double opt-in', (get, dialect) => {
  it('creates one pending request per contact and list, idempotently', async () => {
    const env = get();
    env.clock.set(START);
    const db = env.store.db;
    const accountId = await createAccount(env.deps, { name: 'Acme' });
    const otherAccount = await createAccount(env.deps, { name: 'Other' });
    const list = await doubleOptInList(db, accountId, 'Weekly');
    const [unconfirmed, subscribed] = await seedContacts(db, accountId, [
      { email: 'u@example.com', lists: [[list, 'unconfirmed']] },
      { email: 's@example.com', lists: [[list, 'subscribed']] },
    ]);
    const first = await requestConsent(env.deps, accountId, { contactId: unconfirmed, listId: list, source: 'signup' });
    expect(first.created).toBe(true);
    expect(first.request).toMatchObject({ status: 'pending', email: 'u@example.com', list_name: 'Weekly', source: 'signup', sent_at: null, expires_at: '2026-03-05T10:00:00.000Z' });
    const again = await requestConsent(env.deps, accountId, { contactId: unconfirmed, listId: list, source: 'signup' });
    expect(again).toEqual({ request: first.request, created: false });
    expect(await requestsOf(db, accountId)).toHaveLength(1);

    await expect(requestConsent(env.deps, accountId, { contactId: subscribed, listId: list, source: 'x' })).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(requestConsent(env.deps, otherAccount, { contactId: unconfirmed, listId: list, source: 'x' })).rejects.toMatchObject({ code: 'not_found', field: 'contact_id' });

    // The account's expiry setting is used.
    await db.updateTable('accounts').set({ settings: '{"consent_expiry_hours":5}' }).where('id', '=', accountId).execute();
    const [late] = await seedContacts(db, accountId, [{ email: 'late@example.com', lists: [[list, 'unconfirmed']] }]);
    expect((await requestConsent(env.deps, accountId, { contactId: late, listId: list, source: 'x' })).request.expires_at).toBe('2026-03-02T15:00:00.000Z');
  });

  it('ensureConsentRequests asks unconfirmed subscribers of double opt-in lists only, once', async () => {
    const env = await createTestEnv(dialect);
    try {
      const db = env.store.db;
      env.clock.set(START);
      const a = await createAccount(env.deps, { name: 'Acme' });
      const b = await createAccount(env.deps, { name: 'Bee' });
      const double = await doubleOptInList(db, a, 'Weekly');
      const single = await seedList(db, a, 'Offers');
      const doubleB = await doubleOptInList(db, b, 'Digest');
      const [askMe, , , , askedBefore] = await seedContacts(db, a, [
        { email: 'ask@example.com', lists: [[double, 'unconfirmed'], [single, 'unconfirmed']] },
        { email: 'subscribed@example.com', lists: [[double, 'subscribed']] },
        { email: 'single@example.com', lists: [[single, 'unconfirmed']] },
        { phone: '+4917012345678', lists: [[double, 'unconfirmed']] },
        { email: 'declined@example.com', lists: [[double, 'unconfirmed']] },
      ]);
      const [inB] = await seedContacts(db, b, [{ email: 'b@example.com', lists: [[doubleB, 'unconfirmed']] }]);
      // A request declined after the subscription last changed is not repeated.
      await db
        .insertInto('consent_requests')
        .values({ account_id: a, contact_id: askedBefore, list_id: double, status: 'declined', requested_at: START, expires_at: START, source: 'test' })
        .execute();

      expect(await ensureConsentRequests(env.deps, env.clock.now())).toBe(2);
      const all = await db.selectFrom('consent_requests').select(['account_id', 'contact_id', 'list_id', 'status', 'source']).where('status', '=', 'pending').orderBy('id').execute();
      expect(all).toEqual([
        { account_id: a, contact_id: askMe, list_id: double, status: 'pending', source: 'worker' },
        { account_id: b, contact_id: inB, list_id: doubleB, status: 'pending', source: 'worker' },
      ]);
      expect(await ensureConsentRequests(env.deps, env.clock.now())).toBe(0);

      // The batch entry for imports: only named contacts, once.
      const [imported, notNamed] = await seedContacts(db, a, [
        { email: 'imp@example.com', lists: [[double, 'unconfirmed']] },
        { email: 'other@example.com', lists: [[double, 'unconfirmed']] },
      ]);
      expect(await requestConsentForUnconfirmed(env.deps, a, double, [imported, imported, askMe], 'import')).toBe(1);
      expect(await requestConsentForUnconfirmed(env.deps, a, double, [imported])).toBe(0);
      expect(await requestConsentForUnconfirmed(env.deps, b, double, [notNamed])).toBe(0);
      // A subscription set to 'unconfirmed' again after the decline is asked again.
      env.clock.advance(60_000);
      await db.updateTable('subscriptions').set({ updated_at: env.clock.now().toISOString() }).where('contact_id', '=', askedBefore).execute();
      expect(await ensureConsentRequests(env.deps, env.clock.now())).toBe(2); // askedBefore, and notNamed
    } finally {
      await env.store.close();
    }
  });

  describe('the confirmation email and the link', () => {
    let sink: SmtpSink;
    let env: TestEnv;
    let app: FastifyInstance;
    beforeAll(async () => {
      sink = await startSmtpSink({ replyFor: (rcpt) => (rcpt.startsWith('greylisted@') ? { code: 451, message: '4.7.1 try again later' } : null) });
      env = await createTestEnv(dialect, { HERALD_PUBLIC_URL: 'https://herald.example.com' });
      app = await consentServer(env);
    });
    afterAll(async () => {
      await app?.close();
      await env?.store.close();
      await sink?.close();
    });

    it('sends the confirmation once; GET changes nothing; POST confirm subscribes and releases waiting messages', async () => {
      const db = env.store.db;
      env.clock.set(START);
      const accountId = await createAccount(env.deps, { name: 'Acme News' });
      await db.updateTable('accounts').set({ settings: '{"default_from_email":"hello@acme.example"}' }).where('id', '=', accountId).execute();
      const list = await doubleOptInList(db, accountId, 'Weekly <Digest>');
      const [confirmer, decliner, greylisted, bystander] = await seedContacts(db, accountId, [
        { email: 'confirm@example.com', lists: [[list, 'unconfirmed']] },
        { email: 'decline@example.com', lists: [[list, 'unconfirmed']] },
        { email: 'greylisted@example.com', lists: [[list, 'unconfirmed']] },
        { email: 'bystander@example.com', lists: [[list, 'unconfirmed']] },
      ]);
      const waitUntil = '2026-03-05T10:00:00.000Z';
      const confirmerMsg = await waitingMessage(db, accountId, confirmer, waitUntil);
      const declinerMsg = await waitingMessage(db, accountId, decliner, waitUntil);
      const bystanderMsg = await waitingMessage(db, accountId, bystander, waitUntil);
      expect(await requestConsentForUnconfirmed(env.deps, accountId, list, [confirmer, decliner, greylisted])).toBe(3);

      const transport = createSmtpTransport({ url: sink.url });
      try {
        expect(await sendPendingConfirmations(env.deps, transport, env.clock.now())).toBe(2);
        expect(await sendPendingConfirmations(env.deps, transport, env.clock.now())).toBe(0);
      } finally {
        await transport.close();
      }
      const reqs = await requestsOf(db, accountId);
      const byContact = new Map(reqs.map((r) => [r.contact_id, r]));
      expect(byContact.get(confirmer)).toMatchObject({ sent_at: START, send_attempts: 1, last_response: expect.stringMatching(/^250 /) });
      // The greylisted one is handed back for a retry later, with the reply kept.
      const grey = byContact.get(greylisted)!;
      expect(grey).toMatchObject({ sent_at: null, send_attempts: 1, last_response: expect.stringContaining('451') });
      expect(grey.send_after! > START).toBe(true);

      const mail = sink.messages.find((m) => m.to.includes('confirm@example.com'))!;
      expect(mail.subject).toBe('Please confirm your subscription to Weekly <Digest>');
      expect(mail.headers.from).toBe('Acme News <hello@acme.example>');
      const parsed = await PostalMime.parse(mail.raw);
      expect(parsed.html).toContain('Weekly &#60;Digest&#62;');
      const link = /https:\/\/herald\.example\.com(\/c\/[A-Za-z0-9._-]+)/.exec(parsed.text ?? '')![1];
      expect(parsed.html).toContain(link);

      const shown = await app.inject({ method: 'GET', url: link });
      expect(shown.statusCode).toBe(200);
      expect(shown.body).toContain('value="confirm"');
      expect(shown.body).toContain('No thanks');
      expect(shown.body).toContain('confirm@example.com');
      const subStatus = async (contactId: number) =>
        (await db.selectFrom('subscriptions').select(['status', 'source']).where('contact_id', '=', contactId).where('list_id', '=', list).executeTakeFirstOrThrow());
      const messageDue = async (id: number) => (await db.selectFrom('messages').select('next_attempt_at').where('id', '=', id).executeTakeFirstOrThrow()).next_attempt_at;
      expect((await subStatus(confirmer)).status).toBe('unconfirmed');
      expect((await requestsOf(db, accountId)).find((r) => r.contact_id === confirmer)?.status).toBe('pending');

      env.clock.set('2026-03-02T11:30:00.000Z');
      const confirmed = await app.inject({ method: 'POST', url: link, payload: 'action=confirm', headers: { ...FORM, 'user-agent': 'Test Browser/1.0' } });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.body).toContain('You are subscribed');
      expect(await subStatus(confirmer)).toEqual({ status: 'subscribed', source: 'double-opt-in' });
      const confirmedReq = (await requestsOf(db, accountId)).find((r) => r.contact_id === confirmer)!;
      expect(confirmedReq).toMatchObject({ status: 'confirmed', confirmed_at: '2026-03-02T11:30:00.000Z', declined_at: null });
      expect(JSON.parse(confirmedReq.evidence!)).toEqual({ ip: '127.0.0.1', user_agent: 'Test Browser/1.0', time: '2026-03-02T11:30:00.000Z', source: 'link' });
      expect(await messageDue(confirmerMsg)).toBe('2026-03-02T11:30:00.000Z');
      expect(await messageDue(bystanderMsg)).toBe(waitUntil);

      // Replays and late changes of mind change nothing.
      env.clock.set('2026-03-02T12:00:00.000Z');
      const replay = await app.inject({ method: 'POST', url: link, payload: 'action=confirm', headers: FORM });
      expect(replay.statusCode).toBe(200);
      const changeOfMind = await app.inject({ method: 'POST', url: link, payload: 'action=decline', headers: FORM });
      expect(changeOfMind.body).toContain('You are subscribed');
      expect((await requestsOf(db, accountId)).find((r) => r.contact_id === confirmer)).toEqual(confirmedReq);
      expect((await app.inject({ method: 'POST', url: link, payload: 'action=maybe', headers: FORM })).statusCode).toBe(422);

      // Forged and foreign tokens are not valid.
      const forged = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
      expect((await app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: forged, payload: 'action=confirm', headers: FORM })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/c/garbage' })).statusCode).toBe(404);

      // Decline: the subscription stays unconfirmed, the waiting message is released to be skipped.
      const declineMail = sink.messages.find((m) => m.to.includes('decline@example.com'))!;
      const declineLink = /https:\/\/herald\.example\.com(\/c\/[A-Za-z0-9._-]+)/.exec((await PostalMime.parse(declineMail.raw)).text ?? '')![1];
      const declined = await app.inject({ method: 'POST', url: declineLink, payload: 'action=decline', headers: FORM });
      expect(declined.statusCode).toBe(200);
      expect(declined.body).toContain('You are not subscribed');
      expect((await subStatus(decliner)).status).toBe('unconfirmed');
      expect((await requestsOf(db, accountId)).find((r) => r.contact_id === decliner)).toMatchObject({ status: 'declined', declined_at: '2026-03-02T12:00:00.000Z' });
      expect(await messageDue(declinerMsg)).toBe('2026-03-02T12:00:00.000Z');
      const facts = await loadConsentFacts(db, accountId, [confirmer, decliner, greylisted, bystander], [list]);
      expect(facts).toEqual(new Map([[decliner, { state: 'declined', expires_at: null }], [greylisted, { state: 'pending', expires_at: '2026-03-05T10:00:00.000Z' }]]));
    });

    it('uses no-reply@<public host> without a configured sender; expired links say so and requests expire', async () => {
      const db = env.store.db;
      env.clock.set('2026-04-01T08:00:00.000Z');
      const accountId = await createAccount(env.deps, { name: 'Plain' });
      const list = await doubleOptInList(db, accountId, 'Alerts');
      const [contact] = await seedContacts(db, accountId, [{ email: 'late@example.com', lists: [[list, 'unconfirmed']] }]);
      const { request } = await requestConsent(env.deps, accountId, { contactId: contact, listId: list, source: 'api' });
      const transport = createSmtpTransport({ url: sink.url });
      try {
        await sendPendingConfirmations(env.deps, transport, env.clock.now());
      } finally {
        await transport.close();
      }
      const mail = sink.messages.find((m) => m.to.includes('late@example.com'))!;
      expect(mail.headers.from).toBe('Plain <no-reply@herald.example.com>');
      const link = /https:\/\/herald\.example\.com(\/c\/[A-Za-z0-9._-]+)/.exec((await PostalMime.parse(mail.raw)).text ?? '')![1];

      env.clock.set('2026-04-04T08:00:00.000Z'); // exactly 72 hours later
      const shown = await app.inject({ method: 'GET', url: link });
      expect(shown.statusCode).toBe(410);
      expect(shown.body).toContain('This link has expired');
      // Every request of this file's email env still out (this one and the greylisted one) expires.
      const due = await db.selectFrom('consent_requests').select('id').where('status', '=', 'pending').where('expires_at', '<=', env.clock.now().toISOString()).execute();
      expect(due.map((r) => r.id)).toContain(request.id);
      expect(await expireConsentRequests(env.deps, env.clock.now())).toBe(due.length);
      const after = await db.selectFrom('consent_requests').select(['status']).where('id', '=', request.id).executeTakeFirstOrThrow();
      expect(after.status).toBe('expired');
      const late = await app.inject({ method: 'POST', url: link, payload: 'action=confirm', headers: FORM });
      expect(late.statusCode).toBe(410);
      expect((await db.selectFrom('subscriptions').select('status').where('contact_id', '=', contact).executeTakeFirstOrThrow()).status).toBe('unconfirmed');
      expect(await loadConsentFacts(db, accountId, [contact], [list])).toEqual(new Map([[contact, { state: 'declined', expires_at: null }]]));
      expect(await expireConsentRequests(env.deps, env.clock.now())).toBe(0);
    });
  });

  it('loadConsentFacts: pending wins with the latest expiry, else the latest decided request', async () => {
    const env = get();
    const db = env.store.db;
    const a = await createAccount(env.deps, { name: 'Facts' });
    const b = await createAccount(env.deps, { name: 'Facts B' });
    const l1 = await doubleOptInList(db, a, 'L1');
    const l2 = await doubleOptInList(db, a, 'L2');
    const l3 = await doubleOptInList(db, a, 'L3');
    const [twoPending, declinedThenPending, expired, reAskedConfirmed, none, otherList] = await seedContacts(db, a, [
      { email: 'p@example.com' },
      { email: 'dp@example.com' },
      { email: 'e@example.com' },
      { email: 'c@example.com' },
      { email: 'n@example.com' },
      { email: 'o@example.com' },
    ]);
    const req = (contact_id: number, list_id: number, status: string, requested_at: string, expires_at: string, account_id = a) => ({
      account_id,
      contact_id,
      list_id,
      status,
      requested_at,
      expires_at,
      source: 'test',
    });
    await db
      .insertInto('consent_requests')
      .values([
        req(twoPending, l1, 'pending', '2026-03-01T00:00:00.000Z', '2026-03-04T00:00:00.000Z'),
        req(twoPending, l2, 'pending', '2026-03-01T00:00:00.000Z', '2026-03-06T00:00:00.000Z'),
        req(declinedThenPending, l1, 'declined', '2026-03-02T00:00:00.000Z', '2026-03-05T00:00:00.000Z'),
        req(declinedThenPending, l2, 'pending', '2026-03-01T00:00:00.000Z', '2026-03-04T00:00:00.000Z'),
        req(expired, l1, 'expired', '2026-02-01T00:00:00.000Z', '2026-02-04T00:00:00.000Z'),
        req(reAskedConfirmed, l1, 'declined', '2026-02-01T00:00:00.000Z', '2026-02-04T00:00:00.000Z'),
        req(reAskedConfirmed, l1, 'confirmed', '2026-02-10T00:00:00.000Z', '2026-02-13T00:00:00.000Z'),
        req(otherList, l3, 'declined', '2026-02-01T00:00:00.000Z', '2026-02-04T00:00:00.000Z'),
      ])
      .execute();
    const facts = await loadConsentFacts(db, a, [twoPending, declinedThenPending, expired, reAskedConfirmed, none, otherList], [l1, l2]);
    expect(facts).toEqual(
      new Map([
        [twoPending, { state: 'pending', expires_at: '2026-03-06T00:00:00.000Z' }],
        [declinedThenPending, { state: 'pending', expires_at: '2026-03-04T00:00:00.000Z' }],
        [expired, { state: 'declined', expires_at: null }],
      ]),
    );
    // Another account's id gets nothing.
    expect((await loadConsentFacts(db, b, [twoPending, expired], [l1, l2])).size).toBe(0);
    expect((await loadConsentFacts(db, a, [], [l1])).size).toBe(0);
  });

  describe('the API', () => {
    let app: FastifyInstance;
    let keyA: string;
    let keyB: string;
    let accountA: number;
    beforeAll(async () => {
      const env = get();
      accountA = await createAccount(env.deps, { name: 'Api A' });
      const accountB = await createAccount(env.deps, { name: 'Api B' });
      keyA = (await createApiKey(env.deps, { accountId: accountA, name: 't', role: 'owner' })).key;
      keyB = (await createApiKey(env.deps, { accountId: accountB, name: 't', role: 'owner' })).key;
      app = await consentServer(env);
    });
    afterAll(() => app?.close());

    const call = async (method: 'GET' | 'POST', url: string, key: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
      return { status: res.statusCode, json: res.json() };
    };

    it('lists, shows with evidence, re-requests after a decline, and keeps accounts apart', async () => {
      const env = get();
      env.clock.set(START);
      const db = env.store.db;
      const list = await doubleOptInList(db, accountA, 'Api list');
      const [c1, c2] = await seedContacts(db, accountA, [
        { email: 'api1@example.com', lists: [[list, 'unconfirmed']] },
        { email: 'api2@example.com', lists: [[list, 'subscribed']] },
      ]);
      const created = await call('POST', '/api/v1/consent-requests', keyA, { contact_id: c1, list_id: list });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ contact_id: c1, list_id: list, status: 'pending', source: expect.stringMatching(/^api_key:\d+$/), evidence: null });
      const dup = await call('POST', '/api/v1/consent-requests', keyA, { contact_id: c1, list_id: list });
      expect(dup.status).toBe(409);
      expect(dup.json.error.details).toEqual({ consent_request_id: created.json.id });
      expect((await call('POST', '/api/v1/consent-requests', keyA, { contact_id: c2, list_id: list })).status).toBe(409);
      expect((await call('POST', '/api/v1/consent-requests', keyA, { contact_id: c1, list_id: list, extra: 1 })).status).toBe(400);

      // The contact declines (with evidence); then asking again is allowed.
      await db
        .updateTable('consent_requests')
        .set({ status: 'declined', declined_at: START, evidence: JSON.stringify({ ip: '10.0.0.1', user_agent: 'UA', time: START, source: 'link' }) })
        .where('id', '=', created.json.id)
        .execute();
      const shown = await call('GET', `/api/v1/consent-requests/${created.json.id}`, keyA);
      expect(shown.status).toBe(200);
      expect(shown.json).toMatchObject({ status: 'declined', email: 'api1@example.com', list_name: 'Api list', evidence: { ip: '10.0.0.1', user_agent: 'UA', time: START, source: 'link' } });
      const again = await call('POST', '/api/v1/consent-requests', keyA, { contact_id: c1, list_id: list });
      expect(again.status).toBe(201);
      expect(again.json.id).not.toBe(created.json.id);

      const pending = await call('GET', `/api/v1/consent-requests?status=pending&list_id=${list}`, keyA);
      expect(pending.json.items.map((r: { id: number }) => r.id)).toEqual([again.json.id]);
      expect(pending.json.items[0].evidence).toBeUndefined();
      const byContact = await call('GET', `/api/v1/consent-requests?contact_id=${c1}&limit=1`, keyA);
      expect(byContact.json).toMatchObject({ items: [{ id: created.json.id }], next_after: created.json.id });
      expect((await call('GET', '/api/v1/consent-requests?status=maybe', keyA)).status).toBe(400);

      // Account B sees none of it and cannot ask A's contacts.
      expect((await call('GET', `/api/v1/consent-requests/${created.json.id}`, keyB)).status).toBe(404);
      expect((await call('GET', `/api/v1/consent-requests?list_id=${list}`, keyB)).json.items).toEqual([]);
      expect((await call('GET', '/api/v1/consent-requests', keyB)).json.items).toEqual([]);
      const foreign = await call('POST', '/api/v1/consent-requests', keyB, { contact_id: c1, list_id: list });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.field).toBe('contact_id');
    });
  });
});
