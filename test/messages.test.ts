// F0.8 one-off messages end to end on both dialects: through HTTP, a worker tick and a real SMTP
// sink. A message is a campaign of kind 'message' with one delivery, so the ledger, the decision
// (transactional passes marketing suppressions, never a bounce or the blocklist) and the fate
// endpoint are the campaign machinery's; personal links are signed, expire and stay per account.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addSuppression } from '../src/app/suppressions/add-suppression.ts';
import { updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import { readPersonalLink, signPersonalLink } from '../src/app/links/personal-link-token.ts';
import { signToken } from '../src/app/links/signed-token.ts';
import { parseLinkDuration } from '../src/core/link-duration.ts';
import { effectiveQuietHours } from '../src/core/pacing/effective-quiet-hours.ts';
import { DEFAULT_PACING_POLICY } from '../src/core/pacing/pacing-policy.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';
import { seedContacts } from './support/seed.ts';
import type { SinkMessage } from './support/smtp-sink.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runCli } from './support/run-cli.ts';
import { runUntilIdle } from './support/run-worker.ts';

/** The raw message with quoted-printable soft breaks and '=' undone, so a URL can be found whole. */
const decoded = (m: SinkMessage) => m.raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
const TOKEN = /herald_link=([0-9a-z]+\.[0-9a-z]+\.[0-9a-z]+\.[a-z0-9_-]+\.[A-Za-z0-9_-]{43})/;

const FROM = 'hello@studio.example.com';

describe('personal link tokens and durations (pure)', () => {
  it('parses durations within 1m..30d and refuses the rest with a sentence', () => {
    expect(parseLinkDuration('15m')).toEqual({ ok: true, ms: 15 * 60_000 });
    expect(parseLinkDuration('2h')).toEqual({ ok: true, ms: 2 * 3600_000 });
    expect(parseLinkDuration('30d')).toEqual({ ok: true, ms: 30 * 86_400_000 });
    expect(parseLinkDuration('31d')).toMatchObject({ ok: false, problem: expect.stringContaining('30d') });
    expect(parseLinkDuration('0m')).toMatchObject({ ok: false });
    expect(parseLinkDuration('a week')).toMatchObject({ ok: false, problem: expect.stringContaining('15m, 2h or 7d') });
  });

  it('signs account, contact, expiry and purpose; any change or another secret breaks it', () => {
    const token = signPersonalLink('s3cret', { accountId: 7, contactId: 42, expiresAt: new Date('2026-03-09T10:00:00Z'), purpose: 'login' });
    expect(readPersonalLink('s3cret', token)).toEqual({ accountId: 7, contactId: 42, expiresAt: new Date('2026-03-09T10:00:00Z'), purpose: 'login' });
    expect(readPersonalLink('other', token)).toBeNull();
    const [a, , e, p, mac] = token.split('.');
    expect(readPersonalLink('s3cret', [a, (43).toString(36), e, p, mac].join('.'))).toBeNull();
    expect(readPersonalLink('s3cret', [a, (42).toString(36), e, 'admin', mac].join('.'))).toBeNull();
    // An unsubscribe token of the same secret is never a login token.
    expect(readPersonalLink('s3cret', signToken('s3cret', 'unsubscribe', 42))).toBeNull();
  });

  it("quiet hours: transactional messages ignore them, marketing ones follow apply_to_one_off", () => {
    const policy = { ...DEFAULT_PACING_POLICY, quiet_hours: { ...DEFAULT_PACING_POLICY.quiet_hours, enabled: true } };
    const marketing = JSON.stringify({ transactional: false });
    const transactional = JSON.stringify({ transactional: true });
    expect(effectiveQuietHours(policy, marketing, 'message')).toBeNull();
    const applying = { ...policy, quiet_hours: { ...policy.quiet_hours, apply_to_one_off: true } };
    expect(effectiveQuietHours(applying, marketing, 'message')).not.toBeNull();
    expect(effectiveQuietHours(applying, transactional, 'message')).toBeNull();
  });
});

describeEachDialect('one-off messages', (get) => {

  const smtp = smtpSinkForBlock();

  async function setup(env: TestEnv) {
    const api = await createTestApi(env);
    const actor = { accountId: api.accountId, role: 'owner', label: 'test' };
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const [anna, ben] = await seedContacts(env.store.db, api.accountId, [
      { email: 'anna@example.com', first_name: 'Anna' },
      { email: 'ben@example.com', first_name: 'Ben' },
    ]);
    return { api, actor, worker, anna, ben };
  }

  const mailTo = (address: string, since: number) => smtp.sink.messages.slice(since).filter((m) => m.to.includes(address));

  async function createTemplate(api: TestApi, subject: string, body: string): Promise<number> {
    const r = await api.call('POST', '/api/v1/templates', { name: 'Order', format: 'html', subject, body });
    expect(r.status).toBe(201);
    return r.json.id;
  }

  async function count(env: TestEnv) {
    const c = await env.store.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const m = await env.store.db.selectFrom('one_off_messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const k = await env.store.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { campaigns: Number(c.n), messages: Number(m.n), contacts: Number(k.n) };
  }

  it('sends a template with {{ data.* }} to one contact; the fate shows the reply, events and why; campaigns list hides it', async () => {
    const env = get();
    const { api, worker } = await setup(env);
    const template = await createTemplate(
      api,
      'Order {{ data.order }} for {{ contact.first_name }}',
      '<p>Hi {{ contact.first_name }}, {{ data.items[0] }} ships today.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    );
    const since = smtp.sink.messages.length;
    const sent = await api.call('POST', '/api/v1/messages', { contact: { email: 'Anna@Example.com' }, template_id: template, from_email: FROM, data: { order: 'A-17', items: ['Photo book'] } });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ status: 'pending', delivery_status: 'scheduled', transactional: false, replayed: false, name: 'Message to anna@example.com: Order A-17 for Anna' });

    await runUntilIdle(worker, 20);
    const mails = mailTo('anna@example.com', since);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Order A-17 for Anna');
    expect(decoded(mails[0])).toContain('Photo book ships today');

    const fate = await api.call('GET', `/api/v1/messages/${sent.json.id}`);
    expect(fate.status).toBe(200);
    expect(fate.json).toMatchObject({ status: 'sent', delivery_status: 'completed', address: 'anna@example.com', reason: null, contact: { email: 'anna@example.com', first_name: 'Anna' } });
    expect(fate.json.response).toMatch(/^250/);
    expect(fate.json.events.map((e: { type: string }) => e.type)).toContain('sent');
    expect(fate.json.why.summary).toMatch(/^Sent to anna@example.com/);

    const campaigns = await api.call('GET', '/api/v1/campaigns');
    expect(campaigns.json.items.map((c: { id: number }) => c.id)).not.toContain(sent.json.campaign_id);
    const onlyMessages = await api.call('GET', '/api/v1/campaigns?kind=message');
    expect(onlyMessages.json.items.map((c: { id: number }) => c.id)).toEqual([sent.json.campaign_id]);
  });

  it('sends content written on the spot without adding a template; lists a contact’s messages', async () => {
    const env = get();
    const { api, worker, anna, ben } = await setup(env);
    const since = smtp.sink.messages.length;
    const text = await api.call('POST', '/api/v1/messages', { contact: { id: anna }, content: { subject: 'Your code', text: 'Code {{ data.code }} & <keep>' }, from_email: FROM, data: { code: '4711' }, transactional: true });
    expect(text.status).toBe(201);
    const mjml = await api.call('POST', '/api/v1/messages', {
      contact: { id: ben },
      content: { subject: 'Hello {{ contact.first_name }}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Welcome {{ contact.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>' },
      from_email: FROM,
    });
    expect(mjml.status).toBe(201);
    await runUntilIdle(worker, 20);
    const a = mailTo('anna@example.com', since)[0];
    expect(a.subject).toBe('Your code');
    expect(decoded(a)).toContain('Code 4711 & <keep>');
    // A transactional message is not list mail: no one-click unsubscribe header; a marketing one has it.
    expect(a.raw).not.toMatch(/^List-Unsubscribe/im);
    const b = mailTo('ben@example.com', since)[0];
    expect(b.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
    expect(b.subject).toBe('Hello Ben');
    expect(decoded(b)).toContain('Welcome Ben');
    expect((await api.call('GET', '/api/v1/templates')).json.items).toEqual([]);

    const annas = await api.call('GET', `/api/v1/messages?contact_id=${anna}`);
    expect(annas.json.items.map((m: { id: number }) => m.id)).toEqual([text.json.id]);
    expect(annas.json.items[0]).toMatchObject({ status: 'sent', transactional: true });
    expect((await api.call('GET', '/api/v1/messages')).json.items).toHaveLength(2);
  });

  it('transactional passes an unsubscribe, marketing is skipped; a hard bounce and the blocklist stop both', async () => {
    const env = get();
    const { api, actor, worker } = await setup(env);
    await seedContacts(env.store.db, api.accountId, [{ email: 'gone@example.com' }, { email: 'blocked@example.com' }]);
    await addSuppression(env.deps, actor, { channel: 'email', address: 'anna@example.com', reason: 'unsubscribe' });
    await addSuppression(env.deps, actor, { channel: 'email', address: 'gone@example.com', reason: 'bounce' });
    await addSuppression(env.deps, actor, { channel: 'email', address: 'blocked@example.com', reason: 'blocklist' });
    const content = { subject: 'Receipt', html: '<p>Thanks</p>' };
    const send = (email: string, transactional: boolean) => api.call('POST', '/api/v1/messages', { contact: { email }, content, from_email: FROM, transactional });
    const since = smtp.sink.messages.length;
    const receipt = await send('anna@example.com', true);
    const promo = await send('anna@example.com', false);
    const bounced = await send('gone@example.com', true);
    const blocked = await send('blocked@example.com', true);
    await runUntilIdle(worker, 20);

    expect(mailTo('anna@example.com', since)).toHaveLength(1);
    expect(mailTo('gone@example.com', since)).toHaveLength(0);
    expect(mailTo('blocked@example.com', since)).toHaveLength(0);
    const fate = async (id: number) => (await api.call('GET', `/api/v1/messages/${id}`)).json;
    expect(await fate(receipt.json.id)).toMatchObject({ status: 'sent' });
    const p = await fate(promo.json.id);
    expect(p).toMatchObject({ status: 'skipped', reason: 'unsubscribed', meaning: expect.stringContaining('unsubscribed') });
    expect(p.why.summary).toMatch(/^Skipped: unsubscribed/);
    expect(await fate(bounced.json.id)).toMatchObject({ status: 'skipped', reason: 'suppressed_bounce', meaning: 'The address bounced hard before.' });
    expect(await fate(blocked.json.id)).toMatchObject({ status: 'skipped', reason: 'blocklisted' });

    // The notification about a message nobody got speaks of that message, not of a campaign's lists.
    const notes = await env.store.db
      .selectFrom('notifications')
      .select(['title', 'body', 'data'])
      .where('account_id', '=', api.accountId)
      .where('kind', '=', 'delivery_zero_recipients')
      .where('subject_id', '=', promo.json.campaign_id)
      .execute();
    expect(notes).toHaveLength(1);
    expect(notes[0].title).toBe('Message to anna@example.com was not sent: unsubscribed');
    expect(notes[0].body).toContain(`GET /api/v1/messages/${promo.json.id}`);
    expect(notes[0].body).not.toMatch(/Correct the audience|send the campaign again/);
    expect(JSON.parse(notes[0].data)).toMatchObject({ message_id: promo.json.id, reason: 'unsubscribed' });
  });

  it('the same idempotency key returns the same message; another payload with it is a conflict', async () => {
    const env = get();
    const { api, worker, anna } = await setup(env);
    const body = { contact: { id: anna }, content: { subject: 'Once', html: '<p>once</p>' }, from_email: FROM, idempotency_key: 'order-17' };
    const first = await api.call('POST', '/api/v1/messages', body);
    const again = await api.call('POST', '/api/v1/messages', body);
    expect(first.status).toBe(201);
    // a replay creates nothing: 200, like a repeated event (POST /api/v1/events)
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, campaign_id: first.json.campaign_id, replayed: true });
    // Two retries racing: one message.
    const racing = { ...body, idempotency_key: 'order-18' };
    const [r1, r2] = await Promise.all([api.call('POST', '/api/v1/messages', racing), api.call('POST', '/api/v1/messages', racing)]);
    expect([r1.status, r2.status]).toEqual([r1, r2].map((r) => (r.json.replayed ? 200 : 201)));
    expect([r1.status, r2.status]).toContain(201);
    expect(r1.json.id).toBe(r2.json.id);
    const other = await api.call('POST', '/api/v1/messages', { ...body, content: { subject: 'Twice', html: '<p>twice</p>' } });
    expect(other.status).toBe(409);
    expect(other.json.error).toMatchObject({ code: 'conflict', field: 'idempotency_key' });
    // Keys are per account: the other account may use the same one.
    const [theirs] = await seedContacts(env.store.db, api.otherAccountId, [{ email: 'zoe@example.com' }]);
    const foreign = await api.call('POST', '/api/v1/messages', { ...body, contact: { id: theirs } }, api.otherKey);
    expect(foreign.status).toBe(201);
    const since = smtp.sink.messages.length;
    await runUntilIdle(worker, 20);
    expect(mailTo('anna@example.com', since)).toHaveLength(2);
    const keyed = await env.store.db.selectFrom('one_off_messages').select('account_id').where('idempotency_key', '=', 'order-17').execute();
    expect(keyed.map((r) => Number(r.account_id)).sort()).toEqual([api.accountId, api.otherAccountId].sort());
  });

  it('bad input names the field and writes nothing', async () => {
    const env = get();
    const { api, anna } = await setup(env);
    const template = await createTemplate(api, 'Hi', '<p>Hi</p>');
    const before = await count(env);
    const post = (body: object) => api.call('POST', '/api/v1/messages', body);
    const content = { subject: 'Hi', html: '<p>Hi</p>' };
    const cases: Array<[object, number, string]> = [
      [{ contact: { id: anna }, template_id: template, content, from_email: FROM }, 422, 'content'],
      [{ contact: { id: anna }, from_email: FROM }, 422, 'template_id'],
      [{ contact: { id: 99999 }, content, from_email: FROM }, 404, 'contact.id'],
      [{ contact: { email: 'nobody@example.com' }, content, from_email: FROM }, 404, 'contact.email'],
      [{ contact: { id: anna, email: 'anna@example.com' }, content, from_email: FROM }, 400, 'contact'],
      [{ contact: { id: anna }, content, from_email: 'not an address' }, 422, 'from_email'],
      [{ contact: { id: anna }, content }, 422, 'from_email'],
      [{ contact: { id: anna }, content: { subject: 'Hi', html: '<p>{% if %}</p>' }, from_email: FROM }, 422, 'content.html'],
      [{ contact: { id: anna }, content: { subject: 'Hi {{ ', html: '<p>x</p>' }, from_email: FROM }, 422, 'content.subject'],
      [{ contact: { id: anna }, content: { subject: 'Hi', html: '<p>x</p>', text: 'x' }, from_email: FROM }, 422, 'content'],
      [{ contact: { id: anna }, content: { subject: 'Hi', html: '<p>{{ "https://x.example" | personal_link: "90d" }}</p>' }, from_email: FROM }, 422, 'content.html'],
      [{ contact: { id: anna }, template_id: 99999, from_email: FROM }, 404, 'template_id'],
      [{ contact: { id: anna }, content, from_email: FROM, data: { x: 1 }, extra: 1 }, 400, 'extra'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post(body);
      expect({ body, status: r.status, field: r.json.error?.field }).toEqual({ body, status, field });
      expect(r.json.error.message.length).toBeGreaterThan(5);
    }
    // Another account's contact is unknown here.
    const [theirs] = await seedContacts(env.store.db, api.otherAccountId, [{ email: 'zoe@example.com' }]);
    expect((await post({ contact: { id: theirs }, content, from_email: FROM })).status).toBe(404);
    expect(await count(env)).toEqual({ ...before, contacts: before.contacts + 1 });

    // A launch blocker refuses with the pre-flight shape; the audience items do not apply.
    expect((await api.call('PUT', '/api/v1/account/profile', { billing_verified: false })).status).toBe(200);
    const blocked = await post({ contact: { id: anna }, content, from_email: FROM });
    expect(blocked.status).toBe(422);
    expect(blocked.json.error).toMatchObject({ code: 'preflight_failed', field: 'billing', details: { ready: false, blocking: 1 } });
    expect(blocked.json.error.details.items.map((i: { id: string }) => i.id)).toEqual(['billing', 'company_profile', 'sender']);
    expect(await count(env)).toEqual({ ...before, contacts: before.contacts + 1 });

    // create_contact makes the unknown address a contact; the account's default sender is used.
    await api.call('PUT', '/api/v1/account/profile', { billing_verified: true, default_from_email: 'team@studio.example.com' });
    const created = await post({ contact: { email: 'new@example.com' }, create_contact: true, content });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ from_email: 'team@studio.example.com', contact: { email: 'new@example.com' } });
  });

  it('a marketing message follows apply_to_one_off quiet hours; a transactional one does not wait', async () => {
    const env = get();
    const { api, actor, worker, anna, ben } = await setup(env);
    // 10:00 UTC is inside 09:00–11:00.
    await updatePacingPolicy(env.deps, actor, { timezone: 'UTC', quiet_hours: { enabled: true, start: '09:00', end: '11:00', apply_to_one_off: true, ramp_minutes: 0 } });
    const content = { subject: 'News', html: '<p>n</p>' };
    const promo = await api.call('POST', '/api/v1/messages', { contact: { id: anna }, content, from_email: FROM });
    const receipt = await api.call('POST', '/api/v1/messages', { contact: { id: ben }, content, from_email: FROM, transactional: true });
    await runUntilIdle(worker, 20);
    expect((await api.call('GET', `/api/v1/messages/${promo.json.id}`)).json).toMatchObject({ status: 'deferred', reason: 'quiet_hours' });
    expect((await api.call('GET', `/api/v1/messages/${receipt.json.id}`)).json).toMatchObject({ status: 'sent' });
  });

  it('a personal link in a sent mail verifies, expires, and fails when tampered with or for another account', async () => {
    const env = get();
    const { api, worker, anna } = await setup(env);
    const template = await createTemplate(
      api,
      'Your photos',
      '<p><a href="{{ "https://photos.example.com/login?album=7" | personal_link: "7d" }}">See your photos</a></p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
    );
    // The preview renders it as a contact would get it.
    const preview = await api.call('POST', `/api/v1/templates/${template}/preview`, { contact_id: anna });
    expect(preview.status).toBe(200);
    expect(preview.json.html).toMatch(/https:\/\/photos\.example\.com\/login\?album=7&amp;herald_link=/);

    const since = smtp.sink.messages.length;
    const sent = await api.call('POST', '/api/v1/messages', { contact: { id: anna }, template_id: template, from_email: FROM, transactional: true });
    expect(sent.status).toBe(201);
    await runUntilIdle(worker, 20);
    const mail = mailTo('anna@example.com', since)[0];
    const token = TOKEN.exec(decoded(mail))![1];
    expect(decoded(mail)).not.toContain(env.deps.config.secret);

    const verify = (body: object, key?: string) => api.call('POST', '/api/v1/personal-links/verify', body, key);
    const ok = await verify({ token });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ contact: { id: anna, email: 'anna@example.com', first_name: 'Anna' }, purpose: 'login', expires_at: '2026-03-09T10:00:00.000Z' });
    const byUrl = await verify({ url: `https://photos.example.com/login?album=7&herald_link=${token}` });
    expect(byUrl.json.contact.id).toBe(anna);
    const wrongDoor = await verify({ token, purpose: 'reset' });
    expect(wrongDoor.json.error).toMatchObject({ field: 'purpose', message: 'the link is for "login", not "reset"' });

    const forged = "the link's signature does not match";
    const parts = token.split('.');
    const tampered = [parts[0], (anna + 1).toString(36), ...parts.slice(2)].join('.');
    expect((await verify({ token: tampered })).json.error).toMatchObject({ code: 'invalid_input', field: 'token', message: forged });
    expect((await verify({ token: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` })).json.error.message).toBe(forged);
    // The other account holds a genuine token of ours: same answer, nothing more.
    const foreign = await verify({ token }, api.otherKey);
    expect(foreign.status).toBe(422);
    expect(foreign.json.error.message).toBe(forged);
    // An unsubscribe token is no login token.
    expect((await verify({ token: signToken(env.deps.config.secret, 'unsubscribe', anna) })).json.error.message).toBe(forged);

    env.clock.advance(7 * 86_400_000);
    const expired = await verify({ token });
    expect(expired.status).toBe(422);
    expect(expired.json.error).toMatchObject({ code: 'invalid_input', field: 'token', message: 'the link expired at 2026-03-09T10:00:00.000Z' });

    env.clock.advance(-86_400_000);
    expect((await api.call('DELETE', `/api/v1/contacts/${anna}`)).status).toBe(200);
    const gone = await verify({ token });
    expect(gone.status).toBe(404);
    // The message's fate outlives the contact.
    expect((await api.call('GET', `/api/v1/messages/${sent.json.id}`)).json).toMatchObject({ status: 'sent', contact: null, why: null });
  });

  it('the CLI speaks in its own options: a replay says it queued nothing new, a missing contact names --create-contact', async () => {
    const env = get();
    const { api } = await setup(env);
    const file = path.join(tmpdir(), `herald-msg-${process.pid}.txt`);
    writeFileSync(file, 'Hello {{ contact.first_name }}');
    const cli = (args: string[]) => runCli(env.url, ['--account', String(api.accountId), ...args]);
    const args = ['messages', 'send', '--to', 'anna@example.com', '--subject', 'Hi', '--text-file', file, '--from', FROM, '--transactional', '--key', 'cli-k1'];
    const first = await cli(args);
    expect(first.stdout, first.stderr).toMatch(/^queued message \d+ to anna@example.com/);
    const again = await cli(args);
    expect(again.stdout).toMatch(/^the key cli-k1 was used before: message \d+ to anna@example.com \(campaign \d+\), status \w+; nothing new was queued/);
    const unknown = await cli(['messages', 'send', '--to', 'nobody@example.com', '--subject', 'Hi', '--text-file', file, '--from', FROM]);
    expect(unknown.stderr).toContain('error: --to: contact nobody@example.com not found; add --create-contact to create it');
    const noBody = await cli(['messages', 'send', '--to', 'anna@example.com', '--subject', 'Hi', '--from', FROM]);
    expect(noBody.stderr).toContain('error: --subject: content written on the spot needs a body: --html-file, --mjml-file or --text-file');
    await api.app.close();
  });

  it("another account's message is not found", async () => {
    const env = get();
    const { api, anna } = await setup(env);
    const sent = await api.call('POST', '/api/v1/messages', { contact: { id: anna }, content: { subject: 'x', html: '<p>x</p>' }, from_email: FROM });
    expect((await api.call('GET', `/api/v1/messages/${sent.json.id}`, undefined, api.otherKey)).status).toBe(404);
    expect((await api.call('GET', '/api/v1/messages', undefined, api.otherKey)).json.items).toEqual([]);
  });
});
