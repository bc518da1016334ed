// Prepare: write the ledger of a delivery. One row per (delivery, contact) of the audience; every
// row is either `queued` or `skipped` with a reason from the closed vocabulary, so that nobody in
// the lists is left without an explanation. Idempotent: after a crash it is simply run again and
// rows already written are kept as they were.
import type { Channel } from '../../core/channels.ts';
import { insertMessages } from '../../store/queries/ledger.ts';
import type { NewMessageRow } from '../../store/schema.ts';
import { messageKindOf, parseAudience, parseSettings } from '../campaigns/campaign-input.ts';
import type { AppDeps } from '../deps.ts';
import { audienceScope } from './audience-facts.ts';
import { planAudience } from './plan-audience.ts';
import { moveDelivery } from './delivery-status.ts';
import { notifyZeroRecipients } from './notify-delivery-problem.ts';

export interface PrepareResult {
  total: number;
  queued: number;
  skipped: number;
}

export async function prepareDelivery(deps: AppDeps, deliveryId: number): Promise<PrepareResult> {
  const { db, caps } = deps.store;
  const delivery = await db
    .selectFrom('deliveries')
    .innerJoin('campaigns', 'campaigns.id', 'deliveries.campaign_id')
    .select([
      'deliveries.id',
      'deliveries.account_id',
      'deliveries.campaign_id',
      'campaigns.channel',
      'campaigns.audience',
      'campaigns.settings',
      'deliveries.audience as run_audience',
      'deliveries.run_key',
    ])
    .where('deliveries.id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  // A run of a trigger or a one-off message names its own recipients.
  const audience = parseAudience(delivery.run_audience ?? delivery.audience);
  const channel = delivery.channel as Channel;
  const scope = await audienceScope(deps, delivery.account_id, channel, audience, messageKindOf(parseSettings(delivery.settings)));
  const result: PrepareResult = { total: 0, queued: 0, skipped: 0 };
  const now = deps.clock.now().toISOString();

  await planAudience(deps, scope, async (page) => {
    const out: NewMessageRow[] = page.map(({ row, decision }) => ({
      account_id: delivery.account_id,
      delivery_id: delivery.id,
      campaign_id: delivery.campaign_id,
      contact_id: row.contact_id,
      channel,
      address: decision.address,
      status: decision.kind === 'send' ? 'queued' : decision.kind === 'defer' ? 'deferred' : 'skipped',
      reason: decision.kind === 'send' ? null : decision.reason,
      next_attempt_at: decision.kind === 'send' ? now : decision.kind === 'defer' ? decision.until.toISOString() : null,
      created_at: now,
      updated_at: now,
    }));
    for (const { decision } of page) {
      if (decision.kind === 'skip') result.skipped++;
      else result.queued++;
    }
    result.total += page.length;
    await db.transaction().execute((trx) => insertMessages(trx, caps, out));
    // Heartbeat: a preparation that stops updating is taken over (see claimDueDelivery).
    await db.updateTable('deliveries').set({ updated_at: deps.clock.now().toISOString() }).where('id', '=', deliveryId).execute();
  });

  const anyQueued = await db
    .selectFrom('messages')
    .select('id')
    .where('delivery_id', '=', deliveryId)
    .where('status', 'in', ['queued', 'deferred'])
    .limit(1)
    .executeTakeFirst();
  if (anyQueued) {
    await moveDelivery(deps, { deliveryId, from: ['preparing'], to: 'sending', stamp: 'prepared_at' });
    await db.updateTable('deliveries').set({ started_at: deps.clock.now().toISOString() }).where('id', '=', deliveryId).where('started_at', 'is', null).execute();
  } else {
    await db.updateTable('deliveries').set({ prepared_at: deps.clock.now().toISOString() }).where('id', '=', deliveryId).execute();
    const moved = await moveDelivery(deps, {
      deliveryId,
      from: ['preparing'],
      to: 'completed',
      stamp: 'finished_at',
      reason:
        result.total === 0
          ? audience.contact_ids
            ? 'the audience is empty: the named contacts no longer exist'
            : 'the audience is empty: the lists have no members'
          : 'no recipient can be sent to; see the reasons',
    });
    // F2.3: nobody will get it — say so, with where the audience was lost. Not for a trigger run:
    // its few contacts were left out by the campaign's own contact conditions (F0.6: "customers
    // without available photos" leaves out those with photos) or by their own state (unsubscribed,
    // no email address) — the rules at work, not a mailing that failed — and an error for every
    // such event would bury the real ones. The run's ledger and GET /entities/:entity say why.
    if (moved && !delivery.run_key?.startsWith('trigger:')) await notifyZeroRecipients(deps, deliveryId);
  }
  deps.log.info({ deliveryId, ...result }, 'delivery prepared');
  return result;
}
