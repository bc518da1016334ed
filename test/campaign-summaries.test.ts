// The campaign list's batch numbers: for a page of campaigns, one call gives each campaign's
// progress and headline KPIs, equal to what its own stats say, and never another account's.
import { expect, it } from 'vitest';
import { createApiKey } from '../src/app/accounts/api-keys.ts';
import { campaignStats } from '../src/app/campaigns/campaign-stats.ts';
import { campaignSummaries } from '../src/app/campaigns/campaign-summaries.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import type { Actor } from '../src/app/deps.ts';
import { buildServer } from '../src/http/server.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect } from './support/dialects.ts';
import { seedAccount, seedContacts, seedList, seedTemplate } from './support/seed.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runUntilIdle } from './support/run-worker.ts';

describeEachDialect('campaign summaries for the campaign list', (get) => {
  const smtp = smtpSinkForBlock({ replyFor: (rcpt) => (rcpt.startsWith('gone@') ? { code: 550, message: '5.1.1 User unknown' } : null) });

  it('gives progress, delivered, opens and clicks per campaign in one call, equal to each campaign’s stats', async () => {
    const env = get();
    const accountId = await seedAccount(env.deps, 'Bakery');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(env.store.db, accountId, 'Customers');
    const template = await seedTemplate(env.store.db, accountId);
    await seedContacts(env.store.db, accountId, [
      { email: 'ana@example.com', lists: [[list, 'subscribed']] },
      { email: 'ben@example.com', lists: [[list, 'subscribed']] },
      { email: 'cleo@example.com', lists: [[list, 'subscribed']] },
      { email: 'gone@example.com', lists: [[list, 'subscribed']] },
      { email: 'left@example.com', lists: [[list, 'unsubscribed']] },
    ]);
    const sent = await createCampaign(env.deps, actor, { name: 'Sent', template_id: template, from_email: 'a@bakery.example.com', audience: { list_ids: [list] } });
    const draft = await createCampaign(env.deps, actor, { name: 'Draft', template_id: template, from_email: 'a@bakery.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, sent.id);
    const worker = createDeliveryWorker(env.deps, smtp.transport);
    await runUntilIdle(worker, 20);
    // Ana opened and clicked; Ben opened.
    const at = env.clock.now().toISOString();
    const { db } = env.store;
    const rowOf = async (email: string) =>
      (await db.selectFrom('messages').innerJoin('contacts', 'contacts.id', 'messages.contact_id').select('messages.id').where('contacts.email', '=', email).executeTakeFirstOrThrow()).id;
    await db.updateTable('messages').set({ opened_at: at, clicked_at: at }).where('id', '=', await rowOf('ana@example.com')).execute();
    await db.updateTable('messages').set({ opened_at: at }).where('id', '=', await rowOf('ben@example.com')).execute();

    const otherAccount = await seedAccount(env.deps, 'Other');
    const otherActor: Actor = { accountId: otherAccount, role: 'owner', label: 'test' };
    const foreign = await createCampaign(env.deps, otherActor, { name: 'Foreign', from_email: 'a@other.example.com' });

    const rows = await campaignSummaries(env.deps, actor, [sent.id, draft.id, foreign.id]);
    expect(rows.map((r) => r.campaign_id).sort()).toEqual([sent.id, draft.id].sort());
    const s = rows.find((r) => r.campaign_id === sent.id)!;
    const stats = await campaignStats(env.deps, actor, sent.id);
    expect(s).toMatchObject({
      delivery_id: stats.delivery!.id,
      delivery_status: 'completed',
      total: stats.total,
      to_send: 0,
      sent: 3,
      failed: 1,
      progress: 1,
      delivered_rate: stats.kpis!.delivered_rate,
      open_rate: stats.kpis!.open_rate,
      click_rate: stats.kpis!.click_rate,
    });
    expect(s.total).toBe(5);
    expect(s.delivered_rate).toBe(0.75);
    expect(s.open_rate).toBeCloseTo(2 / 3, 4);
    expect(s.click_rate).toBeCloseTo(1 / 3, 4);
    expect(rows.find((r) => r.campaign_id === draft.id)).toMatchObject({ delivery_id: null, total: 0, progress: 0, delivered_rate: null });

    // Over HTTP the ids come as a repeated query parameter.
    const { key } = await createApiKey(env.deps, { accountId, name: 'list', role: 'analyst' });
    const app = await buildServer(env.deps);
    try {
      const res = await app.inject({ method: 'GET', url: `/api/v1/campaign-summaries?ids=${sent.id}&ids=${draft.id}&ids=${foreign.id}`, headers: { authorization: `Bearer ${key}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((r: { campaign_id: number }) => r.campaign_id).sort()).toEqual([sent.id, draft.id].sort());
      const none = await app.inject({ method: 'GET', url: '/api/v1/campaign-summaries', headers: { authorization: `Bearer ${key}` } });
      expect(none.statusCode).toBe(400);
      expect(none.json().error.message).toMatch(/ids/);
    } finally {
      await app.close();
    }
  });
});
