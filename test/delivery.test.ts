// The ledger end to end on both dialects: prepare writes one row per contact with a reason for
// everyone not sent; the worker hands messages to a real SMTP server on loopback and records
// sent / deferred / failed; pause, resume and cancel work mid-send; expired leases are recovered.
import { expect, it } from 'vitest';
import { campaignStats } from '../src/app/campaigns/campaign-stats.ts';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../src/app/campaigns/control-campaign.ts';
import { listCampaignMessages } from '../src/app/campaigns/list-campaign-messages.ts';
import { sendCampaign } from '../src/app/campaigns/send-campaign.ts';
import { createCampaign } from '../src/app/campaigns/write-campaign.ts';
import { recoverExpiredLeases } from '../src/app/deliveries/recover-leases.ts';
import type { Actor } from '../src/app/deps.ts';
import { claimDueMessages, markSending } from '../src/store/queries/ledger.ts';
import { createDeliveryWorker } from '../src/workers/delivery-worker.ts';
import { describeEachDialect, type TestEnv } from './support/dialects.ts';
import { updatePacingPolicy } from '../src/app/pacing/account-policy.ts';
import { explainContact } from '../src/app/explain/explain-contact.ts';

const explainWhy = (env: TestEnv, actor: Actor, campaignId: number, contact: string) => explainContact(env.deps, actor, campaignId, contact);
import { seedAccount, seedContacts, seedList, seedTemplate } from './support/seed.ts';
import type { SinkReply } from './support/smtp-sink.ts';
import { smtpSinkForBlock } from './support/smtp-sink-for-block.ts';
import { runUntilIdle } from './support/run-worker.ts';

describeEachDialect('delivery through the ledger', (get) => {
  let refuse: (rcpt: string) => SinkReply | null = () => null;

  const smtp = smtpSinkForBlock({ replyFor: (rcpt) => refuse(rcpt) });

  async function setup(env: TestEnv, extra: { batch?: number } = {}) {
    const accountId = await seedAccount(env.deps, 'Photo Studio');
    const actor: Actor = { accountId, role: 'owner', label: 'test' };
    const list = await seedList(env.store.db, accountId, 'Customers');
    const vip = await seedList(env.store.db, accountId, 'Do not mail');
    const template = await seedTemplate(env.store.db, accountId);
    const worker = createDeliveryWorker({ ...env.deps, config: { ...env.deps.config, worker: { ...env.deps.config.worker, batchSize: extra.batch ?? 500, concurrency: 4 } } }, smtp.transport);
    return { accountId, actor, list, vip, template, worker };
  }

  it('prepares a reason for everyone not sent and sends the rest, rendered per contact', async () => {
    const env = get();
    const { accountId, actor, list, vip, template, worker } = await setup(env);
    await seedContacts(env.store.db, accountId, [
      { email: 'anna@example.com', first_name: 'Anna', lists: [[list, 'subscribed']] },
      { email: 'ben@example.com', first_name: 'Ben', lists: [[list, 'subscribed']] },
      { email: 'cleo@example.com', lists: [[list, 'subscribed']] },
      { email: 'dora@example.com', first_name: 'Dora', lists: [[list, 'subscribed'], [vip, 'subscribed']] },
      { email: 'eve@example.com', lists: [[list, 'unsubscribed']] },
      { phone: '+491701234567', first_name: 'Phone-only', lists: [[list, 'subscribed']] },
      { email: 'fred@example.com', lists: [[list, 'unconfirmed']] },
      { email: 'gina@mail.invalid', lists: [[list, 'subscribed']] },
      { email: 'not-in-list@example.com', lists: [[vip, 'subscribed']] },
    ]);
    const campaign = await createCampaign(env.deps, actor, {
      name: 'Spring sale',
      template_id: template,
      from_email: 'news@studio.example.com',
      from_name: 'Photo Studio',
      audience: { list_ids: [list], exclude_list_ids: [vip] },
    });
    const before = smtp.sink.count();
    const sent = await sendCampaign(env.deps, actor, campaign.id);
    expect(sent.status).toBe('sending');
    await runUntilIdle(worker);

    const stats = await campaignStats(env.deps, actor, campaign.id);
    expect(stats.status).toBe('completed');
    expect(stats.total).toBe(8);
    expect(stats.sent).toBe(3);
    const reasons = Object.fromEntries(stats.by_reason.map((r) => [r.reason, r.count]));
    expect(reasons).toEqual({
      excluded_by_list: 1,
      unsubscribed: 1,
      no_address_for_channel: 1,
      consent_pending: 1,
      invalid_address: 1,
    });
    expect(smtp.sink.count() - before).toBe(3);
    const anna = smtp.sink.messages.find((m) => m.to.includes('anna@example.com'))!;
    expect(anna.subject).toBe('Hello Anna');
    expect(anna.raw).toContain('news from Photo Studio');
    expect(anna.headers['list-unsubscribe']).toMatch(/^<http:\/\/.+\/u\/[0-9a-z]+\.[A-Za-z0-9_-]{22}>$/);
    const cleo = smtp.sink.messages.find((m) => m.to.includes('cleo@example.com'))!;
    expect(cleo.subject).toBe('Hello there');

    const ledger = await listCampaignMessages(env.deps, actor, campaign.id, { limit: 100 });
    const annaRow = ledger.items.find((m) => m.address === 'anna@example.com')!;
    expect(annaRow.status).toBe('sent');
    expect(annaRow.response).toMatch(/^250/);
    expect(anna.messageId).toBe(annaRow.message_id_header);
    const phoneOnly = ledger.items.find((m) => m.reason === 'no_address_for_channel')!;
    expect(phoneOnly.address).toBeNull();
  });

  it('defers 4xx replies and retries them later; fails 5xx with the right class', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await setup(env);
    await seedContacts(env.store.db, accountId, [
      { email: 'grey@example.com', lists: [[list, 'subscribed']] },
      { email: 'gone@example.com', lists: [[list, 'subscribed']] },
      { email: 'policy@example.com', lists: [[list, 'subscribed']] },
      { email: 'ok@example.com', lists: [[list, 'subscribed']] },
    ]);
    const campaign = await createCampaign(env.deps, actor, { name: 'Retry', template_id: template, from_email: 'a@studio.example.com', audience: { list_ids: [list] } });
    refuse = (rcpt) =>
      rcpt.startsWith('grey@')
        ? { code: 451, message: '4.7.1 Greylisted, try again later' }
        : rcpt.startsWith('gone@')
          ? { code: 550, message: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown' }
          : rcpt.startsWith('policy@')
            ? { code: 554, message: '5.7.1 Service unavailable; client host blocked using zen.spamhaus.org' }
            : null;
    try {
      await sendCampaign(env.deps, actor, campaign.id);
      await runUntilIdle(worker);
      let stats = await campaignStats(env.deps, actor, campaign.id);
      expect(stats.status).toBe('sending');
      expect(stats.sent).toBe(1);
      expect(stats.deferred).toBe(1);
      expect(stats.failed).toBe(2);
      const rows = (await listCampaignMessages(env.deps, actor, campaign.id, { limit: 10 })).items;
      const by = (a: string) => rows.find((r) => r.address === a)!;
      expect(by('grey@example.com')).toMatchObject({ status: 'deferred', attempts: 1 });
      expect(by('grey@example.com').response).toContain('451');
      expect(by('gone@example.com')).toMatchObject({ status: 'failed', reason: 'rejected_recipient', failure_class: 'recipient' });
      expect(by('policy@example.com')).toMatchObject({ status: 'failed', reason: 'rejected_sender_policy', failure_class: 'sender_policy' });

      // Not due yet: nothing happens. After the backoff the greylisting server accepts.
      refuse = () => null;
      await runUntilIdle(worker);
      expect((await campaignStats(env.deps, actor, campaign.id)).deferred).toBe(1);
      env.clock.advance(2 * 60_000);
      await runUntilIdle(worker);
      stats = await campaignStats(env.deps, actor, campaign.id);
      expect(stats.status).toBe('completed');
      expect(stats.sent).toBe(2);
      expect((await listCampaignMessages(env.deps, actor, campaign.id, { limit: 10, status: 'sent' })).items.find((r) => r.address === 'grey@example.com')?.attempts).toBe(2);
    } finally {
      refuse = () => null;
    }
  });

  it('re-decides just before the hand-off: an unsubscribe after preparation wins', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await setup(env);
    const [late] = await seedContacts(env.store.db, accountId, [
      { email: 'late@example.com', lists: [[list, 'subscribed']] },
      { email: 'stays@example.com', lists: [[list, 'subscribed']] },
    ]);
    const campaign = await createCampaign(env.deps, actor, { name: 'Late', template_id: template, from_email: 'a@studio.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, campaign.id);
    const { claimDueDelivery } = await import('../src/app/deliveries/claim-due-delivery.ts');
    const { prepareDelivery } = await import('../src/app/deliveries/prepare-delivery.ts');
    const deliveryId = (await claimDueDelivery(env.deps))!;
    await prepareDelivery(env.deps, deliveryId);
    await env.store.db.updateTable('subscriptions').set({ status: 'unsubscribed' }).where('contact_id', '=', late).execute();
    await runUntilIdle(worker);
    const rows = (await listCampaignMessages(env.deps, actor, campaign.id, { limit: 10 })).items;
    expect(rows.find((r) => r.address === 'late@example.com')).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    expect(rows.find((r) => r.address === 'stays@example.com')).toMatchObject({ status: 'sent' });
  });

  it('pauses, resumes and cancels in the middle of a send', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await setup(env, { batch: 5 });
    await seedContacts(
      env.store.db,
      accountId,
      Array.from({ length: 20 }, (_, i) => ({ email: `p${i}@example.com`, lists: [[list, 'subscribed'] as [number, 'subscribed']] })),
    );
    const campaign = await createCampaign(env.deps, actor, { name: 'Pausable', template_id: template, from_email: 'a@studio.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, campaign.id);
    await worker.tick(); // prepare + first batch of 5
    expect((await campaignStats(env.deps, actor, campaign.id)).sent).toBe(5);
    expect((await pauseCampaign(env.deps, actor, campaign.id)).status).toBe('paused');
    await runUntilIdle(worker);
    expect((await campaignStats(env.deps, actor, campaign.id)).sent).toBe(5);
    expect((await resumeCampaign(env.deps, actor, campaign.id)).status).toBe('sending');
    await worker.tick();
    expect((await campaignStats(env.deps, actor, campaign.id)).sent).toBe(10);
    const cancelled = await cancelCampaign(env.deps, actor, campaign.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelled_messages).toBe(10);
    await runUntilIdle(worker);
    const stats = await campaignStats(env.deps, actor, campaign.id);
    expect(stats).toMatchObject({ sent: 10, cancelled: 10, to_send: 0 });
    expect(stats.by_reason).toEqual([expect.objectContaining({ reason: 'cancelled', count: 10 })]);
    await expect(resumeCampaign(env.deps, actor, campaign.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('recovers expired leases: claimed rows go back to the queue, interrupted hand-offs are resent and flagged', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await setup(env);
    await seedContacts(
      env.store.db,
      accountId,
      Array.from({ length: 6 }, (_, i) => ({ email: `r${i}@example.com`, lists: [[list, 'subscribed'] as [number, 'subscribed']] })),
    );
    const campaign = await createCampaign(env.deps, actor, { name: 'Crashy', template_id: template, from_email: 'a@studio.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, campaign.id);
    const { claimDueDelivery } = await import('../src/app/deliveries/claim-due-delivery.ts');
    const { prepareDelivery } = await import('../src/app/deliveries/prepare-delivery.ts');
    const deliveryId = (await claimDueDelivery(env.deps))!;
    await prepareDelivery(env.deps, deliveryId);
    // A "dead" worker claimed all six and had marked two as being handed off.
    const now = env.clock.now().toISOString();
    const lease = new Date(env.clock.now().getTime() + 60_000).toISOString();
    const claimed = await claimDueMessages(env.store.db, env.store.caps, { deliveryId, now, limit: 10, owner: 'dead', leaseUntil: lease });
    expect(claimed).toHaveLength(6);
    await markSending(env.store.db, env.store.caps, { headers: new Map(claimed.slice(0, 2).map((m) => [m.id, `herald.${m.id}@x`])), owner: 'dead', now, leaseUntil: lease });
    // While the lease runs, nobody else touches them.
    await runUntilIdle(worker);
    expect((await campaignStats(env.deps, actor, campaign.id)).sent).toBe(0);
    env.clock.advance(61_000);
    expect(await recoverExpiredLeases(env.deps)).toEqual({ requeued: 4, resent: 2, held: 0 });
    await runUntilIdle(worker);
    const stats = await campaignStats(env.deps, actor, campaign.id);
    expect(stats).toMatchObject({ status: 'completed', sent: 6, possible_duplicates: 2 });
    const flagged = await listCampaignMessages(env.deps, actor, campaign.id, { limit: 10, possible_duplicate: true });
    expect(flagged.items.map((m) => m.id).sort()).toEqual(claimed.slice(0, 2).map((m) => m.id).sort());
  });

  it('holds one-off messages in quiet hours in the recipient’s zone and sends them over the morning ramp', async () => {
    const env = get();
    const { accountId, actor, list, template, worker } = await setup(env);
    await updatePacingPolicy(env.deps, actor, { timezone: 'Europe/Berlin', quiet_hours: { apply_to_one_off: true, start: '21:00', end: '09:00', ramp_minutes: 60 } });
    const [berlin, tokyo] = await seedContacts(env.store.db, accountId, [
      { email: 'night-berlin@example.com', lists: [[list, 'subscribed']] },
      { email: 'day-tokyo@example.com', lists: [[list, 'subscribed']] },
    ]);
    await env.store.db.updateTable('contacts').set({ timezone: 'Asia/Tokyo' }).where('id', '=', tokyo).execute();
    // 22:30 in Berlin (CET, UTC+1) is 06:30 the next morning in Tokyo — quiet there too until 09:00.
    env.clock.set('2026-03-02T21:30:00.000Z');
    const campaign = await createCampaign(env.deps, actor, { name: 'Night', template_id: template, from_email: 'a@studio.example.com', audience: { list_ids: [list] } });
    await sendCampaign(env.deps, actor, campaign.id);
    await runUntilIdle(worker);
    let rows = (await listCampaignMessages(env.deps, actor, campaign.id, { limit: 10 })).items;
    const row = (id: number) => rows.find((r) => r.contact_id === id)!;
    expect(row(berlin)).toMatchObject({ status: 'deferred', reason: 'quiet_hours', attempts: 0 });
    expect(row(tokyo)).toMatchObject({ status: 'deferred', reason: 'quiet_hours' });
    // Berlin's window ends at 08:00Z, Tokyo's at 00:00Z; each goes within the hour's ramp after it.
    const berlinAt = Date.parse(row(berlin).next_attempt_at!);
    expect(berlinAt).toBeGreaterThanOrEqual(Date.parse('2026-03-03T08:00:00.000Z'));
    expect(berlinAt).toBeLessThan(Date.parse('2026-03-03T09:00:00.000Z'));
    const tokyoAt = Date.parse(row(tokyo).next_attempt_at!);
    expect(tokyoAt).toBeGreaterThanOrEqual(Date.parse('2026-03-03T00:00:00.000Z'));
    expect(tokyoAt).toBeLessThan(Date.parse('2026-03-03T01:00:00.000Z'));
    const why = await explainWhy(env, actor, campaign.id, 'night-berlin@example.com');
    expect(why.summary).toMatch(/^Waiting until 2026-03-03T08:.*: quiet_hours/);

    env.clock.set('2026-03-03T01:00:00.000Z');
    await runUntilIdle(worker);
    rows = (await listCampaignMessages(env.deps, actor, campaign.id, { limit: 10 })).items;
    expect(row(tokyo).status).toBe('sent');
    expect(row(berlin).status).toBe('deferred');
    env.clock.set('2026-03-03T09:00:00.000Z');
    await runUntilIdle(worker);
    expect((await campaignStats(env.deps, actor, campaign.id))).toMatchObject({ status: 'completed', sent: 2 });
  });
});
