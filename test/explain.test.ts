// E1 and F3.1/F3.2/F4.1 end to end through the API: the pre-flight checklist blocks a launch and
// names the fix; the diagnosis explains "0 recipients" with the funnel; "why" gives the rule and
// data for one contact; segments and exclusion segments shape the audience with their own reason.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAccount } from '../src/app/accounts/bootstrap.ts';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { buildServer } from '../src/http/server.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

describeEachDialect('pre-flight, diagnosis and why', (get) => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  it('refuses a launch with blocking items, names the fix, and explains every recipient', async () => {
    const env = get();
    const accountId = await createAccount(env.deps, { name: 'Fresh account' });
    const { key } = await createApiKey(env.deps, { accountId, name: 'k', role: 'owner' });
    const app = await buildServer(env.deps);
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, json: res.json() };
    };
    const transport = createSmtpTransport({ url: sink.url });
    const worker = createDeliveryWorker(env.deps, transport);
    try {
      const customers = await seedList(env.store.db, accountId, 'Customers');
      const vips = await seedList(env.store.db, accountId, 'VIPs');
      const template = await seedTemplate(env.store.db, accountId);
      await seedContacts(env.store.db, accountId, [
        { email: 'pro@example.com', first_name: 'Pia', attributes: { plan: 'pro', available_photos: 0 }, lists: [[customers, 'subscribed']] },
        { email: 'free@example.com', attributes: { plan: 'free', available_photos: 12 }, lists: [[customers, 'subscribed']] },
        { email: 'paris@example.com', attributes: { plan: 'pro', city: 'Paris', available_photos: 0 }, lists: [[customers, 'subscribed']] },
        { email: 'gone@example.com', attributes: { plan: 'pro', available_photos: 0 }, lists: [[customers, 'unsubscribed']] },
      ]);
      await env.store.db.updateTable('subscriptions').set({ source: 'one-click', updated_at: '2026-03-01T08:00:00.000Z' }).where('status', '=', 'unsubscribed').execute();

      // A campaign whose whole audience is excluded: the checklist blocks twice and says why.
      const everyone = await seedContacts(env.store.db, accountId, [{ email: 'vip@example.com', lists: [[customers, 'subscribed'], [vips, 'subscribed']] }]);
      expect(everyone).toHaveLength(1);
      const blocked = (await call('POST', '/api/v1/campaigns', { name: 'Only VIPs', template_id: template, from_email: 'news@example.com', audience: { list_ids: [vips], exclude_list_ids: [vips] } })).json;
      const refused = await call('POST', `/api/v1/campaigns/${blocked.id}/send`, {});
      expect(refused.status).toBe(422);
      expect(refused.json.error.code).toBe('preflight_failed');
      const items = Object.fromEntries(refused.json.error.details.items.map((i: any) => [i.id, i]));
      expect(items.company_profile).toMatchObject({ status: 'blocking', fix: { cli: expect.stringContaining('herald account profile') } });
      expect(items.company_profile.detail).toContain('company name, phone, postal address');
      expect(items.audience.status).toBe('blocking');
      expect(items.audience.detail).toMatch(/^0 recipients: lists VIPs \(1\) hold 1; .* none after exclusions — 1 excluded_by_list/);
      expect(items.sender).toMatchObject({ status: 'warning' });
      expect(items.template.status).toBe('ok');
      const diagnosis = (await call('GET', `/api/v1/campaigns/${blocked.id}/diagnosis`)).json;
      expect(diagnosis).toMatchObject({ source: 'dry_run', summary: items.audience.detail });
      expect(diagnosis.funnel[1]).toMatchObject({ stage: 'after_exclusions', count: 0, lost: [{ reason: 'excluded_by_list', count: 1 }] });

      // Campaign quiet hours: an impossible window is refused by field; a launch inside the window warns.
      const impossible = await call('PATCH', `/api/v1/campaigns/${blocked.id}`, { settings: { quiet_hours: { start: '21:00', end: '21:00' } } });
      expect(impossible.status).toBe(422);
      expect(impossible.json.error.field).toMatch(/^settings\.quiet_hours/);
      expect((await call('PATCH', `/api/v1/campaigns/${blocked.id}`, { settings: { quiet_hours: { apply_to_one_off: true } } })).status).toBe(200);
      env.clock.set('2026-03-02T22:30:00.000Z');
      const night = (await call('GET', `/api/v1/campaigns/${blocked.id}/preflight`)).json;
      const schedule = night.items.find((i: any) => i.id === 'schedule');
      expect(schedule).toMatchObject({ status: 'warning' });
      expect(schedule.detail).toContain('inside quiet hours 21:00–09:00 (UTC)');
      env.clock.set('2026-03-02T10:00:00.000Z');
      // The double opt-in expiry is an account setting, checked by field.
      expect((await call('PUT', '/api/v1/account/profile', { consent_expiry_hours: 0 })).status).toBe(400);
      expect((await call('PUT', '/api/v1/account/profile', { consent_expiry_hours: 48 })).json.consent_expiry_hours).toBe(48);

      // Fix the profile; a campaign with a segment and an exclusion segment goes out.
      expect((await call('PUT', '/api/v1/account/profile', { company_name: 'Studio', phone: '+49 30 1234567', postal_address: 'Hauptstraße 1, Berlin' })).status).toBe(200);
      const noPhotos = (await call('POST', '/api/v1/segments', { name: 'Without available photos', rules: { all: [{ attribute: 'available_photos', op: 'lte', value: 0 }] } })).json;
      const paris = (await call('POST', '/api/v1/segments', { name: 'Paris', rules: { all: [{ attribute: 'city', op: 'eq', value: 'Paris' }] } })).json;
      const campaign = (
        await call('POST', '/api/v1/campaigns', {
          name: 'Photos reminder',
          template_id: template,
          from_email: 'news@example.com',
          audience: { list_ids: [customers], segment_id: noPhotos.id, exclude_segment_ids: [paris.id] },
        })
      ).json;
      const preflight = (await call('GET', `/api/v1/campaigns/${campaign.id}/preflight`)).json;
      expect(preflight).toMatchObject({ ready: true, blocking: 0 });
      const before = (await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=pro@example.com`)).json;
      expect(before.summary).toMatch(/^Not sent yet; with today's data pro@example.com would get it/);

      expect((await call('POST', `/api/v1/campaigns/${campaign.id}/send`, {})).status).toBe(200);
      while (await worker.tick()) {}
      const stats = (await call('GET', `/api/v1/campaigns/${campaign.id}/stats`)).json;
      expect(stats.sent).toBe(1);
      expect(Object.fromEntries(stats.by_reason.map((r: any) => [r.reason, r.count]))).toEqual({ excluded_by_segment: 3, unsubscribed: 1 });

      const sent = (await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=pro@example.com`)).json;
      expect(sent.ledger.status).toBe('sent');
      expect(sent.summary).toMatch(/^Sent to pro@example.com at .*; the receiving server replied "250/);
      const free = (await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=free@example.com`)).json;
      expect(free.decision).toMatchObject({ kind: 'skip', reason: 'excluded_by_segment', rule: 'segment', detail: 'does not match the segment Without available photos' });
      const inParis = (await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=paris@example.com`)).json;
      expect(inParis.decision.detail).toBe('matches the exclusion segment Paris');
      const gone = (await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=gone@example.com`)).json;
      expect(gone.summary).toBe('Skipped: unsubscribed — unsubscribed from list Customers on 2026-03-01 via one-click.');
      const stranger = (await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=vip@example.com`)).json;
      expect(stranger.summary).toMatch(/^Skipped: excluded_by_segment/);
      const ledgerDiagnosis = (await call('GET', `/api/v1/campaigns/${campaign.id}/diagnosis`)).json;
      expect(ledgerDiagnosis.source).toBe('ledger');
      expect(ledgerDiagnosis.summary).toBe('1 sent of 5 contacts in Customers (5); 1 were inside every rule.');
      expect((await call('GET', `/api/v1/campaigns/${campaign.id}/why?contact=nobody@example.com`)).status).toBe(404);
    } finally {
      await app.close();
      await transport.close();
    }
  });
});
