// Triggered campaigns end to end on both dialects (F0.1, F0.6, F0.7, E6): events come in over the
// API with idempotency keys; the worker turns due firings into runs and sends them to a real SMTP
// server on loopback. Each (campaign, entity, contact) gets one message however often the event
// comes; a condition on the event and a segment on the contact decide who; delays wait; catch-up
// reaches entities that were in the trigger state before the campaign existed.
import { expect, it } from 'vitest';
import { updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import type { Actor } from '../src/app/deps.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { createTestApi, type TestApi } from './support/http.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runCli } from './support/run-cli.ts';
import { runUntilIdle } from './support/run-worker.ts';

const FOR_SALE = { all: [{ field: 'data.status', op: 'eq', value: 'for_sale' }] };

describeEachDialect('triggered campaigns', (get) => {
  let n = 0;

  const smtp = smtpSinkForBlock();

  /** A fresh pair of accounts with the event type declared and a template that shows the event. */
  async function setup(env: TestEnv) {
    env.clock.set('2026-03-02T10:00:00.000Z');
    const api = await createTestApi(env);
    const tag = `t${++n}`;
    const actor: Actor = { accountId: api.accountId, role: 'owner', label: 'test' };
    expect((await api.call('POST', '/api/v1/event-types', { name: 'job.status_changed', description: 'a job moved' })).status).toBe(201);
    const template = (
      await api.call('POST', '/api/v1/templates', {
        name: 'Your photos',
        format: 'html',
        subject: 'Photos of {{ event.entity }}',
        body: '<p>Hi {{ contact.first_name | default: "there" }}, job {{ event.entity }} is {{ event.data.status }}.</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
      })
    ).json;
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    const addr = (name: string) => `${name}.${tag}@example.com`;
    const mailsTo = (name: string) => smtp.sink.messages.filter((m) => m.to.includes(addr(name)));
    return { api, actor, template, worker, tag, addr, mailsTo };
  }

  async function triggeredCampaign(api: TestApi, templateId: number, trigger: Record<string, unknown>, audience: Record<string, unknown> = {}) {
    const c = await api.call('POST', '/api/v1/campaigns', { name: 'For sale', template_id: templateId, from_email: 'studio@example.com', audience });
    expect(c.status).toBe(201);
    const t = await api.call('PUT', `/api/v1/campaigns/${c.json.id}/trigger`, { event_type: 'job.status_changed', ...trigger });
    expect(t.status, JSON.stringify(t.json)).toBe(200);
    return c.json.id as number;
  }

  async function launch(api: TestApi, id: number) {
    const r = await api.call('POST', `/api/v1/campaigns/${id}/send`, {});
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ kind: 'triggered', status: 'active' });
  }

  it("the seed's story: job-42 goes for sale, its customers without photos get one mail, however often the event comes", async () => {
    const env = get();
    const { api, template, worker, addr, mailsTo } = await setup(env);
    // F0.6: only customers without available photos.
    const segment = (await api.call('POST', '/api/v1/segments', { name: 'without photos', rules: { all: [{ attribute: 'available_photos', op: 'lte', value: 0 }] } })).json;
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE }, { segment_id: segment.id });
    const preflight = await api.call('GET', `/api/v1/campaigns/${campaignId}/preflight`);
    expect(preflight.json.items.find((i: { id: string }) => i.id === 'audience')).toMatchObject({ status: 'ok', detail: expect.stringContaining('job.status_changed') });
    await launch(api, campaignId);

    const event = {
      type: 'job.status_changed',
      entity: 'job-42',
      data: { status: 'for_sale' },
      contacts: [
        { email: addr('ben'), first_name: 'Ben', attributes: { available_photos: 5 } },
        { email: addr('anna'), first_name: 'Anna', attributes: { available_photos: 0 } },
      ],
      idempotency_key: 'job-42-for-sale',
    };
    const first = await api.call('POST', '/api/v1/events', event);
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect(first.json).toMatchObject({ duplicate: false, firings_created: 2, matched_campaigns: [campaignId] });
    // Contact ids come back in the order the event gave the contacts.
    const emails = await env.store.db.selectFrom('contacts').select(['id', 'email']).where('id', 'in', first.json.contact_ids).execute();
    expect(first.json.contact_ids.map((id: number) => emails.find((e) => e.id === id)?.email)).toEqual([addr('ben'), addr('anna')]);
    // The same event again (a retry): the first answer, nothing new.
    const again = await api.call('POST', '/api/v1/events', event);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ event_id: first.json.event_id, duplicate: true, firings_created: 0 });
    // The same key with another payload is a mistake, said so.
    const conflict = await api.call('POST', '/api/v1/events', { ...event, data: { status: 'sold' } });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatchObject({ code: 'conflict', field: 'idempotency_key' });

    await runUntilIdle(worker);
    expect(mailsTo('anna')).toHaveLength(1);
    expect(mailsTo('anna')[0].subject).toBe('Photos of job-42');
    expect(mailsTo('anna')[0].raw).toContain('is for_sale');
    // Ben has photos: the segment leaves him out, with the reason in the ledger.
    expect(mailsTo('ben')).toHaveLength(0);
    const ledger = (await api.call('GET', `/api/v1/campaigns/${campaignId}/messages`)).json.items;
    expect(ledger.map((m: { address: string; status: string; reason: string | null }) => [m.address, m.status, m.reason]).sort()).toEqual([
      [addr('anna'), 'sent', null],
      [addr('ben'), 'skipped', 'excluded_by_segment'],
    ]);

    // A second for_sale event of the same job (another key): nobody gets a second mail.
    const second = await api.call('POST', '/api/v1/events', { ...event, idempotency_key: 'job-42-for-sale-again' });
    expect(second.json).toMatchObject({ duplicate: false, firings_created: 0, matched_campaigns: [campaignId] });
    // An event that does not match the condition fires nothing.
    const draft = await api.call('POST', '/api/v1/events', { ...event, entity: 'job-43', data: { status: 'draft' }, idempotency_key: 'job-43-draft' });
    expect(draft.json).toMatchObject({ firings_created: 0, matched_campaigns: [] });
    await runUntilIdle(worker);
    expect(mailsTo('anna')).toHaveLength(1);

    // Explanation: the entity's state, events and firings with what became of them.
    const entity = await api.call('GET', '/api/v1/entities/job-42');
    expect(entity.status).toBe(200);
    expect(entity.json.states).toEqual([expect.objectContaining({ event_type: 'job.status_changed', data: { status: 'for_sale' } })]);
    expect(entity.json.events).toHaveLength(2);
    expect(entity.json.firings.map((f: { status: string; message_status: string; message_reason: string | null }) => [f.status, f.message_status, f.message_reason]).sort()).toEqual([
      ['fired', 'sent', null],
      ['fired', 'skipped', 'excluded_by_segment'],
    ]);
    const listed = await api.call('GET', '/api/v1/events?entity=job-42');
    expect(listed.json.items.map((e: { idempotency_key: string }) => e.idempotency_key)).toEqual(['job-42-for-sale-again', 'job-42-for-sale']);
    // Runs complete; the campaign stays active for the next events.
    expect((await api.call('GET', `/api/v1/campaigns/${campaignId}`)).json.status).toBe('active');
    const diagnosis = await api.call('GET', `/api/v1/campaigns/${campaignId}/diagnosis`);
    expect(diagnosis.json.summary).not.toContain('no lists');
    await api.app.close();
  });

  it("a trigger run that reaches nobody is no '0 recipients' alarm: the condition, or the contact's own state, decided it", async () => {
    const env = get();
    const { api, template, worker, addr } = await setup(env);
    const segment = (await api.call('POST', '/api/v1/segments', { name: 'without photos', rules: { all: [{ attribute: 'available_photos', op: 'lte', value: 0 }] } })).json;
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE }, { segment_id: segment.id });
    await launch(api, campaignId);
    const ev = await api.call('POST', '/api/v1/events', {
      type: 'job.status_changed',
      entity: 'job-7',
      data: { status: 'for_sale' },
      contacts: [{ email: addr('carl'), attributes: { available_photos: 3 } }],
      idempotency_key: 'job-7-for-sale',
    });
    expect(ev.json).toMatchObject({ firings_created: 1 });
    await runUntilIdle(worker);
    const ledger = (await api.call('GET', `/api/v1/campaigns/${campaignId}/messages`)).json.items;
    expect(ledger.map((m: { status: string; reason: string | null }) => [m.status, m.reason])).toEqual([['skipped', 'excluded_by_segment']]);
    // Nor is one contact's own state (unsubscribed, no email address): the campaign diagnosis it
    // would quote speaks of the campaign ("no run has been prepared yet"), not of this run.
    await api.call('POST', '/api/v1/suppressions', { channel: 'email', address: addr('dora'), reason: 'unsubscribe' });
    await api.call('POST', '/api/v1/events', {
      type: 'job.status_changed',
      entity: 'job-8',
      data: { status: 'for_sale' },
      contacts: [{ email: addr('dora'), attributes: { available_photos: 0 } }],
      idempotency_key: 'job-8-for-sale',
    });
    await api.call('POST', '/api/v1/events', {
      type: 'job.status_changed',
      entity: 'job-9',
      data: { status: 'for_sale' },
      contacts: [{ phone: '+491701234567', attributes: { available_photos: 0 } }],
      idempotency_key: 'job-9-for-sale',
    });
    await runUntilIdle(worker);
    const reasons = (await api.call('GET', `/api/v1/campaigns/${campaignId}/messages?status=skipped`)).json.items.map((m: { reason: string }) => m.reason).sort();
    expect(reasons).toEqual(['excluded_by_segment', 'no_address_for_channel', 'unsubscribed']);
    // why explains each contact from the run that had it, not from the campaign's latest run
    const whyCarl = (await api.call('GET', `/api/v1/campaigns/${campaignId}/why?contact=${encodeURIComponent(addr('carl'))}`)).json;
    expect(whyCarl).toMatchObject({ in_audience: true, ledger: { status: 'skipped', reason: 'excluded_by_segment' } });
    expect(whyCarl.summary).toMatch(/^Skipped: excluded_by_segment/);
    const whyDora = (await api.call('GET', `/api/v1/campaigns/${campaignId}/why?contact=${encodeURIComponent(addr('dora'))}`)).json;
    expect(whyDora).toMatchObject({ ledger: { status: 'skipped', reason: 'unsubscribed' } });
    const zero = await env.store.db
      .selectFrom('notifications')
      .select('id')
      .where('account_id', '=', api.accountId)
      .where('kind', '=', 'delivery_zero_recipients')
      .execute();
    expect(zero).toEqual([]);
    await api.app.close();
  });

  it('a delay holds the firing until it is due', async () => {
    const env = get();
    const { api, template, worker, addr, mailsTo } = await setup(env);
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE, delay_minutes: 10 });
    await launch(api, campaignId);
    const r = await api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity: 'job-1', data: { status: 'for_sale' }, contacts: [{ email: addr('cleo') }], idempotency_key: 'k1' });
    expect(r.json.firings_created).toBe(1);
    await runUntilIdle(worker);
    expect(mailsTo('cleo')).toHaveLength(0);
    env.clock.advance(9 * 60_000);
    await runUntilIdle(worker);
    expect(mailsTo('cleo')).toHaveLength(0);
    env.clock.advance(60_000);
    await runUntilIdle(worker);
    expect(mailsTo('cleo')).toHaveLength(1);
    await api.app.close();
  });

  it('F0.7 catch-up send: a campaign made after the job went for sale still reaches its customers, once', async () => {
    const env = get();
    const { api, template, worker, addr, mailsTo } = await setup(env);
    const post = (entity: string, status: string, who: string[], key: string) =>
      api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity, data: { status }, contacts: who.map((w) => ({ email: addr(w) })), idempotency_key: key });
    expect((await post('job-7', 'for_sale', ['dora', 'emil'], 'a')).json.matched_campaigns).toEqual([]);
    await post('job-8', 'for_sale', ['fred'], 'b');
    // job-8 moved on: its latest state no longer matches.
    env.clock.advance(1000);
    await post('job-8', 'sold', ['fred'], 'c');

    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE, catch_up: 'send' });
    await launch(api, campaignId);
    await runUntilIdle(worker);
    expect(mailsTo('dora')).toHaveLength(1);
    expect(mailsTo('emil')).toHaveLength(1);
    expect(mailsTo('fred')).toHaveLength(0);
    expect(mailsTo('dora')[0].subject).toBe('Photos of job-7');

    // Catch-up again, or the same state announced again: no duplicates.
    const again = await api.call('POST', `/api/v1/campaigns/${campaignId}/catch-up`);
    expect(again.json).toMatchObject({ entities: 1, firings_created: 0 });
    await post('job-7', 'for_sale', ['dora', 'emil'], 'd');
    await runUntilIdle(worker);
    expect(mailsTo('dora')).toHaveLength(1);
    const listing = await api.call('GET', `/api/v1/campaigns/${campaignId}/catch-up`);
    expect(listing.json).toMatchObject({ contacts_to_send: 0, entities: [expect.objectContaining({ entity: 'job-7', contacts: 2, fired: 2, already_fired: true })] });
    await api.app.close();
  });

  it('catch-up list: nothing is sent at launch; the entities are listed, then sent on request', async () => {
    const env = get();
    const { api, template, worker, addr, mailsTo } = await setup(env);
    await api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity: 'job-9', data: { status: 'for_sale' }, contacts: [{ email: addr('gina') }], idempotency_key: 'g' });
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE });
    expect((await api.call('GET', `/api/v1/campaigns/${campaignId}/trigger`)).json).toMatchObject({ catch_up: 'list', event_type: 'job.status_changed' });
    await launch(api, campaignId);
    await runUntilIdle(worker);
    expect(mailsTo('gina')).toHaveLength(0);
    const listing = await api.call('GET', `/api/v1/campaigns/${campaignId}/catch-up`);
    expect(listing.json).toMatchObject({ contacts_to_send: 1, entities: [expect.objectContaining({ entity: 'job-9', contacts: 1, fired: 0, already_fired: false })] });
    const sent = await api.call('POST', `/api/v1/campaigns/${campaignId}/catch-up`);
    expect(sent.json).toMatchObject({ entities: 1, firings_created: 1 });
    await runUntilIdle(worker);
    expect(mailsTo('gina')).toHaveLength(1);
    await api.app.close();
  });

  it('catch-up during quiet hours is deferred with reason quiet_hours, then sent', async () => {
    const env = get();
    const { api, actor, template, worker, addr, mailsTo } = await setup(env);
    await updatePacingPolicy(env.deps, actor, { timezone: 'Europe/Berlin', quiet_hours: { enabled: true, start: '21:00', end: '08:00', ramp_minutes: 0 } });
    env.clock.set('2026-03-02T22:00:00.000Z'); // 23:00 in Berlin
    await api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity: 'job-10', data: { status: 'for_sale' }, contacts: [{ email: addr('hugo') }], idempotency_key: 'h' });
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE, catch_up: 'send' });
    await launch(api, campaignId);
    await runUntilIdle(worker);
    expect(mailsTo('hugo')).toHaveLength(0);
    const ledger = (await api.call('GET', `/api/v1/campaigns/${campaignId}/messages`)).json.items;
    expect(ledger).toEqual([expect.objectContaining({ address: addr('hugo'), status: 'deferred', reason: 'quiet_hours' })]);
    env.clock.set('2026-03-03T07:30:00.000Z'); // 08:30 in Berlin
    await runUntilIdle(worker);
    expect(mailsTo('hugo')).toHaveLength(1);
    await api.app.close();
  });

  it('pause holds firings, cancel cancels them', async () => {
    const env = get();
    const { api, worker, template, addr, mailsTo } = await setup(env);
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE });
    await launch(api, campaignId);
    expect((await api.call('POST', `/api/v1/campaigns/${campaignId}/pause`)).json.status).toBe('paused');
    const ev = (entity: string, who: string) =>
      api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity, data: { status: 'for_sale' }, contacts: [{ email: addr(who) }], idempotency_key: entity });
    expect((await ev('job-p', 'ida')).json.firings_created).toBe(1);
    await runUntilIdle(worker);
    expect(mailsTo('ida')).toHaveLength(0);
    expect((await api.call('POST', `/api/v1/campaigns/${campaignId}/resume`)).json.status).toBe('active');
    await runUntilIdle(worker);
    expect(mailsTo('ida')).toHaveLength(1);
    env.clock.advance(1000);
    await api.call('POST', `/api/v1/campaigns/${campaignId}/pause`);
    await ev('job-q', 'jan');
    expect((await api.call('POST', `/api/v1/campaigns/${campaignId}/cancel`)).json.status).toBe('cancelled');
    await runUntilIdle(worker);
    expect(mailsTo('jan')).toHaveLength(0);
    const firings = (await api.call('GET', '/api/v1/entities/job-q')).json.firings;
    expect(firings.map((f: { status: string }) => f.status)).toEqual(['cancelled']);
    await api.app.close();
  });

  it('the unsubscribe link of a triggered message suppresses the address: later triggered mail is skipped as unsubscribed', async () => {
    const env = get();
    const { api, worker, template, addr, mailsTo } = await setup(env);
    const campaignId = await triggeredCampaign(api, template.id, { condition: FOR_SALE });
    await launch(api, campaignId);
    const ev = (entity: string) =>
      api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity, data: { status: 'for_sale' }, contacts: [{ email: addr('kim') }], idempotency_key: entity });
    await ev('job-u1');
    await runUntilIdle(worker);
    const mail = mailsTo('kim')[0];
    const url = new URL(mail.headers['list-unsubscribe'].slice(1, -1));
    const shown = await api.app.inject({ method: 'GET', url: url.pathname });
    expect(shown.body).toContain('Unsubscribe?');
    const done = await api.app.inject({ method: 'POST', url: url.pathname, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(done.statusCode).toBe(200);
    const suppressions = await env.store.db.selectFrom('suppressions').select(['channel', 'address', 'reason', 'source']).where('account_id', '=', api.accountId).execute();
    expect(suppressions).toEqual([{ channel: 'email', address: addr('kim'), reason: 'unsubscribe', source: 'one-click' }]);
    expect((await api.app.inject({ method: 'GET', url: url.pathname })).body).toContain('You are unsubscribed');

    await ev('job-u2');
    await runUntilIdle(worker);
    expect(mailsTo('kim')).toHaveLength(1);
    const ledger = (await api.call('GET', `/api/v1/campaigns/${campaignId}/messages`)).json.items;
    expect(ledger.map((m: { status: string; reason: string | null }) => [m.status, m.reason]).sort()).toEqual([
      ['sent', null],
      ['skipped', 'unsubscribed'],
    ]);
    await api.app.close();
  });

  it('the CLI shows and removes a trigger and explains an entity, as GET/DELETE …/trigger and GET /entities/:entity do', async () => {
    const env = get();
    const { api, template, worker, addr } = await setup(env);
    const id = await triggeredCampaign(api, template.id, { condition: FOR_SALE, delay_minutes: 0 });
    const acct = ['--account', String(api.accountId)];
    const shown = await runCli(env.url, [...acct, 'campaigns', 'trigger', String(id)]);
    expect(shown.stderr).not.toMatch(/error/);
    expect(shown.stdout).toContain(`campaign ${id} is triggered by job.status_changed when`);
    await launch(api, id);
    await api.call('POST', '/api/v1/events', { type: 'job.status_changed', entity: 'job-77', data: { status: 'for_sale' }, contacts: [{ email: addr('eve') }], idempotency_key: 'job-77' });
    await runUntilIdle(worker);
    const entity = await runCli(env.url, [...acct, 'entities', 'show', 'job-77']);
    expect(entity.stderr).not.toMatch(/error/);
    expect(entity.stdout).toMatch(/job\.status_changed.*for_sale/);
    expect(entity.stdout).toMatch(/For sale.*fired.*sent/);
    const missing = await runCli(env.url, [...acct, 'entities', 'show', 'job-0']);
    expect(missing.stderr).toMatch(/entity job-0 not found/);

    const draft = await triggeredCampaign(api, template.id, {});
    const removed = await runCli(env.url, [...acct, 'campaigns', 'untrigger', String(draft)]);
    expect(removed.stderr).not.toMatch(/error/);
    expect((await api.call('GET', `/api/v1/campaigns/${draft}/trigger`)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/campaigns/${draft}`)).json.kind).toBe('one-off');
    await api.app.close();
  });

  it('bad input is refused with the field named and changes nothing', async () => {
    const env = get();
    const { api, template } = await setup(env);
    const count = async (t: 'trigger_events' | 'contacts' | 'campaign_triggers') =>
      Number((await env.store.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', api.accountId).executeTakeFirstOrThrow()).n);
    const base = { type: 'job.status_changed', entity: 'job-x', data: { status: 'for_sale' }, contacts: [{ email: 'new-person@example.com' }] };
    // The key may come as the Idempotency-Key header; a body key that disagrees with it is refused.
    const viaHeader = () =>
      api.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${api.key}`, 'idempotency-key': 'hdr-1' }, payload: { ...base, contacts: [] } });
    const h1 = await viaHeader();
    expect(h1.statusCode).toBe(201);
    const h2 = await viaHeader();
    expect(h2.statusCode).toBe(200);
    expect(h2.json()).toMatchObject({ event_id: h1.json().event_id, duplicate: true });
    const disagree = await api.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${api.key}`, 'idempotency-key': 'hdr-2' }, payload: { ...base, idempotency_key: 'body-2' } });
    expect(disagree.json().error.field).toBe('idempotency_key');
    // a few minutes of clock skew between systems is fine
    const skewed = await api.call('POST', '/api/v1/events', { ...base, contacts: [], occurred_at: '2026-03-02T10:04:00Z', idempotency_key: 'x5' });
    expect(skewed.status, JSON.stringify(skewed.json)).toBe(201);
    const before = [await count('trigger_events'), await count('contacts'), await count('campaign_triggers')];

    const noKey = await api.call('POST', '/api/v1/events', base);
    expect(noKey.status).toBe(422);
    expect(noKey.json.error).toMatchObject({ code: 'invalid_input', field: 'idempotency_key' });
    const unknown = await api.call('POST', '/api/v1/events', { ...base, type: 'job.status_chnaged', idempotency_key: 'x1' });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error.field).toBe('type');
    expect(unknown.json.error.message).toContain('declared: job.status_changed');
    const badContact = await api.call('POST', '/api/v1/events', { ...base, contacts: [{ email: 'ok@example.com' }, { email: 'no-at-sign' }], idempotency_key: 'x2' });
    expect(badContact.status).toBe(422);
    expect(badContact.json.error.field).toBe('contacts[1].email');
    const otherContact = await api.call('POST', '/api/v1/events', { ...base, contacts: [{ email: 'ok@example.com' }, { id: 999_999 }], idempotency_key: 'x3' });
    expect(otherContact.status).toBe(404);
    expect(otherContact.json.error.field).toBe('contacts[1].id');
    // An event from the future (a wrong clock, a typo in the year) would hold its firings until
    // then and pin the entity's state against every real event after it: refused, with the field.
    const future = await api.call('POST', '/api/v1/events', { ...base, occurred_at: '2030-01-01T00:00:00Z', idempotency_key: 'x4' });
    expect(future.status).toBe(422);
    expect(future.json.error).toMatchObject({ code: 'invalid_input', field: 'occurred_at' });
    expect(future.json.error.message).toContain('in the future');

    const draft = (await api.call('POST', '/api/v1/campaigns', { name: 'Bad', template_id: template.id, from_email: 'a@example.com' })).json;
    const badPath = await api.call('PUT', `/api/v1/campaigns/${draft.id}/trigger`, { event_type: 'job.status_changed', condition: { all: [{ field: 'status', op: 'eq', value: 'for_sale' }] } });
    expect(badPath.status).toBe(422);
    expect(badPath.json.error.field).toBe('condition.all[0].field');
    const badOp = await api.call('PUT', `/api/v1/campaigns/${draft.id}/trigger`, { event_type: 'job.status_changed', condition: { all: [{ field: 'data.status', op: 'is', value: 'x' }] } });
    expect(badOp.json.error.field).toBe('condition.all[0].op');
    const undeclared = await api.call('PUT', `/api/v1/campaigns/${draft.id}/trigger`, { event_type: 'job.created' });
    expect(undeclared.json.error.field).toBe('event_type');

    const list = (await api.call('POST', '/api/v1/lists', { name: 'Customers' })).json;
    const withList = (await api.call('POST', '/api/v1/campaigns', { name: 'Listy', template_id: template.id, from_email: 'a@example.com', audience: { list_ids: [list.id] } })).json;
    const refused = await api.call('PUT', `/api/v1/campaigns/${withList.id}/trigger`, { event_type: 'job.status_changed' });
    expect(refused.status).toBe(422);
    expect(refused.json.error.field).toBe('audience.list_ids');
    expect(refused.json.error.message).toContain('must be empty');
    expect([await count('trigger_events'), await count('contacts'), await count('campaign_triggers')]).toEqual(before);

    // A triggered draft cannot get lists either; removing the trigger makes it one-off again.
    expect((await api.call('PUT', `/api/v1/campaigns/${draft.id}/trigger`, { event_type: 'job.status_changed' })).status).toBe(200);
    const patched = await api.call('PATCH', `/api/v1/campaigns/${draft.id}`, { audience: { list_ids: [list.id] } });
    expect(patched.status).toBe(422);
    expect(patched.json.error.field).toBe('audience.list_ids');
    // The type is in use: it cannot be removed.
    const types = (await api.call('GET', '/api/v1/event-types')).json.items;
    expect(types).toEqual([expect.objectContaining({ name: 'job.status_changed', campaign_ids: [draft.id] })]);
    const inUse = await api.call('DELETE', `/api/v1/event-types/${types[0].id}`);
    expect(inUse.status).toBe(409);
    expect((await api.call('DELETE', `/api/v1/campaigns/${draft.id}/trigger`)).status).toBe(204);
    expect((await api.call('GET', `/api/v1/campaigns/${draft.id}`)).json.kind).toBe('one-off');
    expect((await api.call('DELETE', `/api/v1/event-types/${types[0].id}`)).status).toBe(204);
    // A triggered campaign without a declared type or without a trigger cannot launch.
    const dup = await api.call('POST', '/api/v1/event-types', { name: 'job.status_changed' });
    expect(dup.status).toBe(201);
    expect((await api.call('POST', '/api/v1/event-types', { name: 'job.status_changed' })).status).toBe(409);
    expect((await api.call('POST', '/api/v1/event-types', { name: '1 bad name' })).status).toBe(422);
    await api.app.close();
  });
});
