// One row of numbers per campaign for the dashboard's campaign list: progress and the headline
// KPIs of each campaign's current delivery, for a whole page of campaigns in three queries
// (campaigns, their current deliveries, one grouped count over messages) instead of a stats call
// per row.
import { sql } from 'kysely';
import { campaignKpis } from '../../core/campaign-kpis.ts';
import type { Actor, AppDeps } from '../deps.ts';

export interface CampaignSummary {
  campaign_id: number;
  delivery_id: number | null;
  delivery_status: string | null;
  total: number;
  to_send: number;
  sent: number;
  failed: number;
  progress: number;
  delivered_rate: number | null;
  open_rate: number | null;
  click_rate: number | null;
}

const when = (cond: string) => sql<number>`sum(case when ${sql.raw(cond)} then 1 else 0 end)`;

export async function campaignSummaries(deps: AppDeps, actor: Actor, ids: number[]): Promise<CampaignSummary[]> {
  if (ids.length === 0) return [];
  const { db } = deps.store;
  const own = await db.selectFrom('campaigns').select('id').where('account_id', '=', actor.accountId).where('id', 'in', ids).execute();
  const ownIds = own.map((c) => c.id);
  if (ownIds.length === 0) return [];
  const current = await db
    .selectFrom('deliveries')
    .select(['campaign_id', (eb) => eb.fn.max('id').as('id')])
    .where('campaign_id', 'in', ownIds)
    .groupBy('campaign_id')
    .execute();
  const deliveryIds = current.map((d) => Number(d.id));
  const statuses = deliveryIds.length ? await db.selectFrom('deliveries').select(['id', 'status']).where('id', 'in', deliveryIds).execute() : [];
  const counts = deliveryIds.length
    ? await db
        .selectFrom('messages')
        .select([
          'delivery_id',
          sql<number>`count(*)`.as('total'),
          when("status = 'sent'").as('sent'),
          when("status = 'failed'").as('failed'),
          when("status in ('queued', 'claimed', 'sending', 'deferred')").as('to_send'),
          when("status = 'sent' and bounced_at is not null").as('bounced_after'),
          when('opened_at is not null').as('openers'),
          when('clicked_at is not null').as('clickers'),
        ])
        .where('delivery_id', 'in', deliveryIds)
        .groupBy('delivery_id')
        .execute()
    : [];
  const byDelivery = new Map(counts.map((c) => [c.delivery_id, c]));
  const statusOf = new Map(statuses.map((d) => [d.id, d.status]));
  const deliveryOf = new Map(current.map((d) => [d.campaign_id, Number(d.id)]));
  const n = (v: unknown) => Number(v ?? 0);
  return ownIds.map((campaignId) => {
    const deliveryId = deliveryOf.get(campaignId) ?? null;
    const c = deliveryId === null ? undefined : byDelivery.get(deliveryId);
    const status = deliveryId === null ? null : (statusOf.get(deliveryId) ?? null);
    const total = n(c?.total);
    const toSend = n(c?.to_send);
    const k = campaignKpis({
      toSend,
      sent: n(c?.sent),
      failed: n(c?.failed),
      bouncedAfterSent: n(c?.bounced_after),
      uniqueOpeners: n(c?.openers),
      uniqueHumanOpeners: 0,
      opensTotal: 0,
      opensHuman: 0,
      uniqueClickers: n(c?.clickers),
      uniqueHumanClickers: 0,
      clicksTotal: 0,
      clicksHuman: 0,
      unsubscribes: 0,
      complaints: 0,
    });
    return {
      campaign_id: campaignId,
      delivery_id: deliveryId,
      delivery_status: status,
      total,
      to_send: toSend,
      sent: k.sent,
      failed: k.failed,
      progress: total === 0 ? (status === 'completed' ? 1 : 0) : (total - toSend) / total,
      delivered_rate: k.delivered_rate,
      open_rate: k.open_rate,
      click_rate: k.click_rate,
    };
  });
}
