// F4.5 live KPIs and F4.6 the contact's history, through the API, from a real send: hand-off
// outcomes become events, opens and clicks (human and machine) and a one-click unsubscribe count.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor } from '../src/app/deps.ts';
import { recordEvents } from '../src/app/events/record-events.ts';
import { unsubscribeByToken } from '../src/app/unsubscribe/unsubscribe-by-token.ts';
import { signToken } from '../src/app/links/signed-token.ts';
import { createSmtpTransport } from '../src/transports/email/smtp-transport.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi } from './support/http.ts';
import { seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.ts';

describeEachDialect('campaign KPIs and contact history', (get) => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({ replyFor: (rcpt) => (rcpt.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : null) });
  });
  afterAll(() => sink.close());

  it('counts sent, bounced, opens (human and machine), clicks (3 clicks = 1 clicker), unsubscribes, and shows the timeline', async () => {
    const env = get();
    const api = await createTestApi(env);
    const actor: Actor = { accountId: api.accountId, role: 'owner', label: 'test' };
    const transport = createSmtpTransport({ url: sink.url });
    const worker = createDeliveryWorker(env.deps, transport);
    try {
      const list = await seedList(env.store.db, api.accountId, 'News');
      const template = await seedTemplate(env.store.db, api.accountId);
      const [ann, bob] = await seedContacts(env.store.db, api.accountId, [
        { email: 'ann@example.com', lists: [[list, 'subscribed']] },
        { email: 'bob@example.com', lists: [[list, 'subscribed']] },
        { email: 'gone@example.com', lists: [[list, 'subscribed']] },
      ]);
      const campaign = await createCampaign(env.deps, actor, { name: 'KPI', template_id: template, from_email: 'news@example.com', audience: { list_ids: [list] } });
      await sendCampaign(env.deps, actor, campaign.id);
      while (await worker.tick()) {}
      const ids = Object.fromEntries(
        (await env.store.db.selectFrom('messages').select(['id', 'contact_id']).where('campaign_id', '=', campaign.id).execute()).map((m) => [m.contact_id, m.id]),
      );
      const t = (s: number) => new Date(Date.parse('2026-03-02T11:00:00.000Z') + s * 1000).toISOString();
      await recordEvents(env.deps, [
        { accountId: api.accountId, messageId: ids[ann], type: 'opened', occurredAt: t(0), machine: true, data: { why: 'privacy proxy' } },
        { accountId: api.accountId, messageId: ids[ann], type: 'opened', occurredAt: t(60), machine: false },
        { accountId: api.accountId, messageId: ids[ann], type: 'clicked', occurredAt: t(70), machine: false, data: { url: 'https://example.com/a' } },
        { accountId: api.accountId, messageId: ids[ann], type: 'clicked', occurredAt: t(80), machine: false, data: { url: 'https://example.com/a' } },
        { accountId: api.accountId, messageId: ids[ann], type: 'clicked', occurredAt: t(90), machine: false, data: { url: 'https://example.com/b' } },
        { accountId: api.accountId, messageId: ids[bob], type: 'opened', occurredAt: t(5), machine: true, data: { why: 'privacy proxy' } },
      ]);
      await unsubscribeByToken(env.deps, signToken(env.deps.config.secret, 'unsubscribe', ids[bob]));

      const stats = (await api.call('GET', `/api/v1/campaigns/${campaign.id}/stats`)).json;
      expect(stats.kpis).toMatchObject({
        sent: 2,
        failed: 1,
        delivered: 2,
        delivered_rate: 0.6667,
        bounce_error_rate: 0.3333,
        uniqueOpeners: 2,
        uniqueHumanOpeners: 1,
        opensTotal: 3,
        opensHuman: 1,
        open_rate: 1,
        human_open_rate: 0.5,
        uniqueClickers: 1,
        clicksTotal: 3,
        click_rate: 0.5,
        unsubscribes: 1,
        complaints: 0,
      });
      const hours = Object.fromEntries(stats.hourly.map((h: any) => [h.hour, h]));
      expect(hours['2026-03-02T11:00:00.000Z']).toMatchObject({ opens: 3, human_opens: 1, clicks: 3, human_clicks: 3 });
      expect(stats.hourly.reduce((n: number, h: any) => n + h.sent, 0)).toBe(2);
      expect(stats.hourly.reduce((n: number, h: any) => n + h.bounces, 0)).toBe(1);

      const history = (await api.call('GET', `/api/v1/contacts/${ann}/history`)).json;
      expect(history.items.map((i: any) => [i.kind, i.type, i.machine])).toEqual([
        ['event', 'clicked', false],
        ['event', 'clicked', false],
        ['event', 'clicked', false],
        ['event', 'opened', false],
        ['event', 'opened', true],
        ['message', 'sent', null],
      ]);
      expect(history.items[5]).toMatchObject({ campaign_name: 'KPI', detail: { address: 'ann@example.com' } });
      const bobHistory = (await api.call('GET', `/api/v1/contacts/${bob}/history`)).json;
      expect(bobHistory.items.find((i: any) => i.type === 'unsubscribed')).toMatchObject({ kind: 'event', detail: { source: 'one-click' } });
      expect((await api.call('GET', `/api/v1/contacts/${ann}/history`, undefined, api.otherKey)).status).toBe(404);
    } finally {
      await api.app.close();
      await transport.close();
    }
  });
});
