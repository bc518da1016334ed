// Counting a delivery's KPIs from the ledger (first time of each outcome per message) and the
// events (totals), and its activity per hour for charts. A few indexed counts, always current.
import { type CampaignKpis, campaignKpis } from '../../core/campaign-kpis.ts';
import type { AppDeps } from '../deps.ts';
import { sql } from 'kysely';
import { inScope, type RunScope } from './run-scope.ts';

// The hour of an ISO timestamp ("2026-03-02T10"), the same literal SQL in SELECT and GROUP BY.
const HOUR = sql<string>`substr(occurred_at, 1, 13)`;

export interface HourlyActivity {
  hour: string;
  sent: number;
  opens: number;
  human_opens: number;
  clicks: number;
  human_clicks: number;
  bounces: number;
}

export async function deliveryKpis(deps: AppDeps, scope: RunScope): Promise<CampaignKpis> {
  const { db } = deps.store;
  const campaignId = scope.campaignId;
  const m = await db
    .selectFrom('messages')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('status', '=', 'sent').then(1).else(0).end()).as('sent'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'failed').then(1).else(0).end()).as('failed'),
      eb.fn.sum<number>(eb.case().when('status', 'in', ['queued', 'claimed', 'sending', 'deferred']).then(1).else(0).end()).as('to_send'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'sent').then(eb.case().when('bounced_at', 'is not', null).then(1).else(0).end()).else(0).end()).as('bounced_after'),
      eb.fn.sum<number>(eb.case().when('opened_at', 'is not', null).then(1).else(0).end()).as('openers'),
      eb.fn.sum<number>(eb.case().when('human_opened_at', 'is not', null).then(1).else(0).end()).as('human_openers'),
      eb.fn.sum<number>(eb.case().when('clicked_at', 'is not', null).then(1).else(0).end()).as('clickers'),
      eb.fn.sum<number>(eb.case().when('human_clicked_at', 'is not', null).then(1).else(0).end()).as('human_clickers'),
      eb.fn.sum<number>(eb.case().when('unsubscribed_at', 'is not', null).then(1).else(0).end()).as('unsubscribes'),
      eb.fn.sum<number>(eb.case().when('complained_at', 'is not', null).then(1).else(0).end()).as('complaints'),
    ])
    .$call((q) => inScope(q, deps, scope))
    .executeTakeFirstOrThrow();
  const e = await db
    .selectFrom('message_events')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('type', '=', 'opened').then(1).else(0).end()).as('opens'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('type', '=', 'opened'), eb('machine', '=', 0)])).then(1).else(0).end()).as('human_opens'),
      eb.fn.sum<number>(eb.case().when('type', '=', 'clicked').then(1).else(0).end()).as('clicks'),
      eb.fn.sum<number>(eb.case().when(eb.and([eb('type', '=', 'clicked'), eb('machine', '=', 0)])).then(1).else(0).end()).as('human_clicks'),
    ])
    .where('campaign_id', '=', campaignId)
    .$call((q) => inScope(q, deps, scope))
    .where('type', 'in', ['opened', 'clicked'])
    .executeTakeFirstOrThrow();
  const n = (v: unknown) => Number(v ?? 0);
  return campaignKpis({
    toSend: n(m.to_send),
    sent: n(m.sent),
    failed: n(m.failed),
    bouncedAfterSent: n(m.bounced_after),
    uniqueOpeners: n(m.openers),
    uniqueHumanOpeners: n(m.human_openers),
    opensTotal: n(e.opens),
    opensHuman: n(e.human_opens),
    uniqueClickers: n(m.clickers),
    uniqueHumanClickers: n(m.human_clickers),
    clicksTotal: n(e.clicks),
    clicksHuman: n(e.human_clicks),
    unsubscribes: n(m.unsubscribes),
    complaints: n(m.complaints),
  });
}

/** Events per hour (UTC) of a run (or all runs), for charts: sends, opens and clicks (human apart), bounces. */
export async function deliveryActivityByHour(deps: AppDeps, scope: RunScope): Promise<HourlyActivity[]> {
  const { db } = deps.store;
  const rows = await db
    .selectFrom('message_events')
    .select([
      HOUR.as('hour'),
      'type',
      'machine',
      sql<number>`count(*)`.as('n'),
    ])
    .where('campaign_id', '=', scope.campaignId)
    .$call((q) => inScope(q, deps, scope))
    .groupBy([HOUR, 'type', 'machine'])
    .execute();
  const byHour = new Map<string, HourlyActivity>();
  for (const r of rows) {
    const key = `${r.hour}:00:00.000Z`;
    const h = byHour.get(key) ?? { hour: key, sent: 0, opens: 0, human_opens: 0, clicks: 0, human_clicks: 0, bounces: 0 };
    const n = Number(r.n);
    if (r.type === 'sent') h.sent += n;
    else if (r.type === 'opened') {
      h.opens += n;
      if (r.machine === 0) h.human_opens += n;
    } else if (r.type === 'clicked') {
      h.clicks += n;
      if (r.machine === 0) h.human_clicks += n;
    } else if (r.type === 'bounced') h.bounces += n;
    byHour.set(key, h);
  }
  return [...byHour.values()].sort((a, b) => a.hour.localeCompare(b.hour));
}
