// Provider webhooks in: realistic payloads (the providers' documented examples, in
// test/fixtures/webhooks) signed in the test with our own keys — ECDSA P-256 for SendGrid,
// HMAC for Mailgun, basic auth for Postmark, an RSA certificate for SNS (both signature
// versions). Events land on the ledger row of the webhook token's account only; hard bounces and
// complaints suppress; bad signatures are 401, bad payloads 400, and neither changes anything.
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/app/deps.ts';
import { configureProviderWebhook, getProviderWebhook } from '../src/app/webhooks/provider-webhook-settings.ts';
import type { WebhookConfig } from '../src/app/webhooks/webhook-config.ts';
import { classifyProviderBounce } from '../src/core/webhooks/provider-bounce-class.ts';
import { parseHeraldReference } from '../src/core/webhooks/herald-reference.ts';
import { type SnsMessage, snsStringToSign } from '../src/core/webhooks/sns-message.ts';
import { registerProviderWebhookRoutes } from '../src/http/provider-webhook-routes.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { seedAccount } from './support/seed.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'webhooks');
const fixture = (name: string, vars: Record<string, string>) => {
  let text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`__${k}__`, v);
  return text;
};

let seeded = 0;
async function seedMessage(env: TestEnv, accountId: number): Promise<{ id: number; ref: string }> {
  seeded += 1;
  const T = '2026-03-02T09:00:00.000Z';
  const db = env.store.db;
  const email = `p${seeded}@example.com`;
  const contact = await db.insertInto('contacts').values({ account_id: accountId, email, phone: null, first_name: null, last_name: null, timezone: null, locale: null, postal_address: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  const campaign = await db.insertInto('campaigns').values({ account_id: accountId, name: 'C', channel: 'email', kind: 'one-off', status: 'completed', template_id: null, from_email: null, from_name: null, reply_to: null, audience: '{}', scheduled_at: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  const delivery = await db.insertInto('deliveries').values({ account_id: accountId, campaign_id: campaign.id, status: 'completed', scheduled_at: T, prepared_at: T, started_at: T, finished_at: T, status_reason: null, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  const m = await db.insertInto('messages').values({ account_id: accountId, delivery_id: delivery.id, campaign_id: campaign.id, contact_id: contact.id, channel: 'email', address: email, status: 'sent', reason: null, next_attempt_at: null, sent_at: T, created_at: T, updated_at: T }).returning('id').executeTakeFirstOrThrow();
  return { id: m.id, ref: `herald.${m.id}.${delivery.id}@news.example.com` };
}

const pathOf = (url: string) => new URL(url).pathname;

describeEachDialect('provider webhooks', (get) => {
  let app: FastifyInstance;
  let accountId: number;
  let otherId: number;
  let actor: Actor;
  let other: Actor;
  const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const sendgridPublic = sendgridKeys.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const mailgunKey = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';

  beforeAll(async () => {
    const env = get();
    const webhooks: WebhookConfig = { allowLoopbackHttp: true, snsCertificatesPath: path.join(FIXTURES, 'sns-test-cert.pem') };
    env.deps.config = Object.assign({}, env.deps.config, { webhooks });
    accountId = await seedAccount(env.deps, 'Relay user');
    otherId = await seedAccount(env.deps, 'Other');
    actor = { accountId, role: 'owner', label: 'test' };
    other = { accountId: otherId, role: 'owner', label: 'test' };
    app = Fastify();
    registerProviderWebhookRoutes(app, env.deps);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const eventsOf = (env: TestEnv, account: number) => env.store.db.selectFrom('message_events').selectAll().where('account_id', '=', account).orderBy('id').execute();
  const suppressionsOf = (env: TestEnv, account: number) =>
    env.store.db.selectFrom('suppressions').select(['address', 'reason']).where('account_id', '=', account).orderBy('address').execute();

  it('SendGrid: verifies the ECDSA signature and maps bounces, blocks, deliveries, opens, clicks and spam reports', async () => {
    const env = get();
    const hook = await configureProviderWebhook(env.deps, actor, 'sendgrid', { public_key: sendgridPublic });
    expect(hook.verification).toMatchObject({ configured: true });
    const a = await seedMessage(env, accountId);
    const b = await seedMessage(env, accountId);
    const ts = String(Math.floor(env.clock.now().getTime() / 1000));
    const body = fixture('sendgrid-events.json', { REF: a.ref, REF2: b.ref, TS: ts });
    const signature = sign('sha256', Buffer.from(ts + body), sendgridKeys.privateKey).toString('base64');
    const headers = { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': ts };

    // A changed byte or a signature from another key: 401, nothing recorded.
    const before = (await eventsOf(env, accountId)).length;
    expect((await app.inject({ method: 'POST', url: pathOf(hook.url), headers, payload: body.replace('bounce@', 'bounc3@') })).statusCode).toBe(401);
    const foreign = sign('sha256', Buffer.from(ts + body), generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey).toString('base64');
    expect((await app.inject({ method: 'POST', url: pathOf(hook.url), headers: { ...headers, 'x-twilio-email-event-webhook-signature': foreign }, payload: body })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: pathOf(hook.url), headers: { 'content-type': 'application/json' }, payload: body })).statusCode).toBe(401);
    expect(await eventsOf(env, accountId)).toHaveLength(before);

    const res = await app.inject({ method: 'POST', url: pathOf(hook.url), headers, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ recorded: 7, linked: 7, ignored: ['processed'] });
    const events = (await eventsOf(env, accountId)).slice(before);
    expect(events.map((e) => [e.type, e.message_id, e.machine])).toEqual([
      ['bounced', a.id, null],
      ['bounced', b.id, null],
      ['delivered', a.id, null],
      ['deferred', a.id, null],
      ['opened', a.id, 1],
      ['clicked', a.id, null],
      ['complained', a.id, null],
    ]);
    expect(JSON.parse(events[0].data)).toMatchObject({ source: 'webhook:sendgrid', bounce_class: 'hard', status: '5.1.1', address: 'bounce@example.com' });
    expect(JSON.parse(events[1].data)).toMatchObject({ bounce_class: 'sender_policy' });
    const row = await env.store.db.selectFrom('messages').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ bounce_class: 'hard', bounced_at: expect.any(String), delivered_at: expect.any(String), complained_at: expect.any(String), opened_at: expect.any(String), human_opened_at: null });
    expect((await env.store.db.selectFrom('messages').select('bounce_class').where('id', '=', b.id).executeTakeFirstOrThrow()).bounce_class).toBe('sender_policy');
    // The hard bounce and the spam report suppress; the sender-policy block does not.
    expect(await suppressionsOf(env, accountId)).toEqual([
      { address: 'bounce@example.com', reason: 'bounce' },
      { address: 'spam@example.com', reason: 'complaint' },
    ]);

    // Signed but not an array of events: 400.
    const bad = '{"event":"bounce"}';
    const badSig = sign('sha256', Buffer.from(ts + bad), sendgridKeys.privateKey).toString('base64');
    const r400 = await app.inject({ method: 'POST', url: pathOf(hook.url), headers: { ...headers, 'x-twilio-email-event-webhook-signature': badSig }, payload: bad });
    expect(r400.statusCode).toBe(400);
    expect(r400.json().error.message).toMatch(/JSON array/);
  });

  it("links nothing of another account: a token's events stay in its own account", async () => {
    const env = get();
    const hook = await configureProviderWebhook(env.deps, other, 'sendgrid', { public_key: sendgridPublic });
    const victim = await seedMessage(env, accountId);
    const ts = String(Math.floor(env.clock.now().getTime() / 1000));
    const body = JSON.stringify([{ email: 'victim@example.com', timestamp: Number(ts), 'smtp-id': `<${victim.ref}>`, event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 user unknown' }]);
    const signature = sign('sha256', Buffer.from(ts + body), sendgridKeys.privateKey).toString('base64');
    const res = await app.inject({ method: 'POST', url: pathOf(hook.url), headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': ts }, payload: body });
    expect(res.json()).toMatchObject({ recorded: 1, linked: 0 });
    const row = await env.store.db.selectFrom('messages').selectAll().where('id', '=', victim.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ bounced_at: null, bounce_class: null });
    expect((await suppressionsOf(env, accountId)).map((s) => s.address)).not.toContain('victim@example.com');
    expect(await suppressionsOf(env, otherId)).toEqual([{ address: 'victim@example.com', reason: 'bounce' }]);
    const [event] = await eventsOf(env, otherId);
    expect(event).toMatchObject({ message_id: null, campaign_id: null });
    // An unknown token is refused.
    expect((await app.inject({ method: 'POST', url: '/hooks/sendgrid/nope', headers: { 'content-type': 'application/json' }, payload: body })).statusCode).toBe(404);
  });

  it('Mailgun: verifies the HMAC, refuses stale and replayed signatures, maps a permanent failure to a hard bounce', async () => {
    const env = get();
    const hook = await configureProviderWebhook(env.deps, actor, 'mailgun', { signing_key: mailgunKey });
    const m = await seedMessage(env, accountId);
    const signed = () => {
      const ts = String(Math.floor(env.clock.now().getTime() / 1000));
      const token = randomBytes(25).toString('hex');
      const sig = createHmac('sha256', mailgunKey).update(ts + token).digest('hex');
      return { ts, token, sig, body: fixture('mailgun-failed.json', { REF: m.ref, TS: ts, TOKEN: token, SIG: sig }) };
    };
    const post = (payload: string) => app.inject({ method: 'POST', url: pathOf(hook.url), headers: { 'content-type': 'application/json' }, payload });

    const s = signed();
    expect((await post(s.body.replace(s.sig, s.sig.replace(/^./, s.sig[0] === 'a' ? 'b' : 'a')))).statusCode).toBe(401);
    const ok = await post(s.body);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ recorded: 1, linked: 1, suppressed: 1 });
    // The same request again is a replay.
    const replay = await post(s.body);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.message).toMatch(/already used/);
    // Signed 6 minutes ago: too old.
    const old = signed();
    env.clock.advance(6 * 60_000);
    const stale = await post(old.body);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toMatch(/old/);

    const row = await env.store.db.selectFrom('messages').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ bounce_class: 'hard', bounced_at: '2026-03-02T10:00:00.908Z' });
    expect((await suppressionsOf(env, accountId)).map((x) => x.address)).toContain('alice@example.com');

    // Signed, but no event-data: 400.
    const fresh = signed();
    const malformed = JSON.stringify({ signature: { timestamp: fresh.ts, token: fresh.token, signature: fresh.sig } });
    const r = await post(malformed);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/event-data/);
  });

  it('Postmark: checks basic auth and maps Bounce, SpamComplaint and Delivery', async () => {
    const env = get();
    const hook = await configureProviderWebhook(env.deps, actor, 'postmark', { username: 'postmark', password: 'correct horse battery' });
    const m = await seedMessage(env, accountId);
    const auth = (user: string, pw: string) => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
    const post = (payload: string, authorization = auth('postmark', 'correct horse battery')) =>
      app.inject({ method: 'POST', url: pathOf(hook.url), headers: { 'content-type': 'application/json', authorization }, payload });
    const bounce = fixture('postmark-bounce.json', { REF: m.ref });
    expect((await post(bounce, auth('postmark', 'wrong password'))).statusCode).toBe(401);
    expect((await post(bounce, '')).statusCode).toBe(401);
    expect((await post(bounce)).json()).toMatchObject({ recorded: 1, linked: 1, suppressed: 1 });
    expect((await post(fixture('postmark-spam-complaint.json', { REF: m.ref }))).json()).toMatchObject({ recorded: 1, linked: 1, suppressed: 1 });
    expect((await post(fixture('postmark-delivery.json', { REF: m.ref }))).json()).toMatchObject({ recorded: 1, linked: 1 });
    const row = await env.store.db.selectFrom('messages').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ bounce_class: 'hard', bounced_at: '2026-03-02T17:28:10.273Z', complained_at: '2026-03-02T10:00:00.000Z', delivered_at: '2026-03-02T10:00:00.000Z' });
    const s = await suppressionsOf(env, accountId);
    expect(s).toEqual(expect.arrayContaining([{ address: 'john@example.com', reason: 'bounce' }, { address: 'john@example.com', reason: 'complaint' }]));
    const r = await post('{"RecordType":"Bounce","Type":"HardBounce"}');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toMatch(/BouncedAt/);
    expect((await post('not json')).statusCode).toBe(400);
  });

  describe('SES via SNS', () => {
    const key = fs.readFileSync(path.join(FIXTURES, 'sns-test-key.pem'), 'utf8');
    const snsEnvelope = (fields: Partial<SnsMessage> & Pick<SnsMessage, 'Type' | 'Message'>, version: '1' | '2'): SnsMessage => {
      const m: SnsMessage = {
        MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
        Timestamp: '2026-03-02T10:00:02.000Z',
        SignatureVersion: version,
        Signature: '',
        SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
        ...fields,
      };
      m.Signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(m)), key).toString('base64');
      return m;
    };

    it('verifies SignatureVersion 1 and 2 against the configured certificate and maps bounces and complaints', async () => {
      const env = get();
      const hook = await configureProviderWebhook(env.deps, actor, 'ses', {});
      const m = await seedMessage(env, accountId);
      const post = (body: unknown) => app.inject({ method: 'POST', url: pathOf(hook.url), headers: { 'content-type': 'text/plain; charset=UTF-8' }, payload: JSON.stringify(body) });

      const bounce = snsEnvelope({ Type: 'Notification', Message: fixture('ses-bounce.json', { REF: m.ref }) }, '1');
      expect((await post({ ...bounce, Message: bounce.Message.replace('5.1.1 user unknown', '5.1.1 user known') })).statusCode).toBe(401);
      expect((await post({ ...bounce, SigningCertURL: 'https://sns.eu-west-1.amazonaws.com.evil.example/x.pem' })).statusCode).toBe(401);
      const res = await post(bounce);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ recorded: 2, linked: 2, suppressed: 1 });
      const complaint = snsEnvelope({ Type: 'Notification', Subject: 'Amazon SES Email Event Notification', Message: fixture('ses-complaint.json', { REF: m.ref }) }, '2');
      expect((await post(complaint)).json()).toMatchObject({ recorded: 1, linked: 1, suppressed: 1 });

      const events = (await eventsOf(env, accountId)).filter((e) => e.message_id === m.id);
      expect(events.map((e) => [e.type, JSON.parse(e.data).address, JSON.parse(e.data).bounce_class ?? null])).toEqual([
        ['bounced', 'jane@example.com', 'hard'],
        ['bounced', 'richard@example.com', 'sender_policy'],
        ['complained', 'richard@example.com', null],
      ]);
      const s = await suppressionsOf(env, accountId);
      expect(s).toEqual(expect.arrayContaining([{ address: 'jane@example.com', reason: 'bounce' }, { address: 'richard@example.com', reason: 'complaint' }]));
      expect(s).not.toContainEqual({ address: 'richard@example.com', reason: 'bounce' });
      expect((await post({ Type: 'Notification' })).statusCode).toBe(400);
    });

    it('keeps the SubscribeURL of a SubscriptionConfirmation for the operator instead of fetching it', async () => {
      const env = get();
      const hook = await configureProviderWebhook(env.deps, actor, 'ses', {});
      const subscribeUrl = 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:ses-events&Token=2336412f37';
      const confirmation = snsEnvelope({ Type: 'SubscriptionConfirmation', Message: 'You have chosen to subscribe to the topic …', SubscribeURL: subscribeUrl, Token: '2336412f37' }, '1');
      const res = await app.inject({ method: 'POST', url: pathOf(hook.url), headers: { 'content-type': 'text/plain; charset=UTF-8' }, payload: JSON.stringify(confirmation) });
      expect(res.json()).toMatchObject({ subscribe_url: subscribeUrl });
      expect(await getProviderWebhook(env.deps, actor, 'ses')).toMatchObject({ subscribe_url: subscribeUrl, topic_arn: 'arn:aws:sns:eu-west-1:123456789012:ses-events' });
      // Another account sees none of it.
      await expect(getProviderWebhook(env.deps, other, 'ses')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});

it('reads Herald references and classifies provider bounces', () => {
  expect(parseHeraldReference('<herald.12.3@news.example.com>')).toEqual({ messageId: 12, deliveryId: 3 });
  expect(parseHeraldReference('herald.12.3')).toEqual({ messageId: 12, deliveryId: 3 });
  expect(parseHeraldReference('<14c5d75ce93.dfd.64b469@ismtpd-555>')).toBeNull();
  expect(classifyProviderBounce({ permanent: true, diagnostic: 'smtp; 550 5.1.1 user unknown' }).bounceClass).toBe('hard');
  expect(classifyProviderBounce({ permanent: true, diagnostic: 'smtp; 552 5.2.2 mailbox full' }).bounceClass).toBe('soft');
  expect(classifyProviderBounce({ permanent: true, status: '5.7.1', diagnostic: '550 5.7.1 blocked using Spamhaus' }).bounceClass).toBe('sender_policy');
  expect(classifyProviderBounce({ permanent: false, status: '5.1.1' }).bounceClass).toBe('soft');
  expect(classifyProviderBounce({ permanent: true }).bounceClass).toBe('hard');
  expect(classifyProviderBounce({ permanent: null, policy: true }).bounceClass).toBe('sender_policy');
});
