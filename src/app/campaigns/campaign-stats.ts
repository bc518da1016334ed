// Live numbers of a campaign's current delivery, straight from the ledger (no hourly job): how
// many rows are in each state, each reason with its count and meaning, progress and pace.
import type { Channel } from '../../core/channels.ts';
import { effectiveQuietHours } from '../../core/pacing/effective-quiet-hours.ts';
import { projectFinish } from '../../core/pacing/project-finish.ts';
import { REASONS, type Reason } from '../../core/reasons.ts';
import type { CampaignKpis } from '../../core/campaign-kpis.ts';
import { loadPacingPolicy } from '../pacing/account-policy.ts';
import { type TrackingCounts, trackingCounts } from '../tracking/tracking-counts.ts';
import { deliveryActivityByHour, deliveryKpis, type HourlyActivity } from './campaign-kpis.ts';
import { readAccountLimits } from '../pacing/read-limits.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { currentDeliveryId, loadCampaignRow } from './read-campaigns.ts';
import { campaignFollowsDelivery } from '../../core/campaign-lifecycle.ts';
import { inScope, type RunScope } from './run-scope.ts';

export interface CampaignStats {
  campaign_id: number;
  status: string;
  /** 'all': the sum of every run of a recurring or triggered campaign; 'one': `delivery` alone. */
  runs: 'all' | 'one';
  delivery: {
    id: number;
    status: string;
    status_reason: string | null;
    scheduled_at: string | null;
    prepared_at: string | null;
    started_at: string | null;
    finished_at: string | null;
  } | null;
  total: number;
  to_send: number;
  sent: number;
  deferred: number;
  failed: number;
  skipped: number;
  cancelled: number;
  uncertain: number;
  possible_duplicates: number;
  by_status: Record<string, number>;
  by_reason: Array<{ reason: string; status: string; count: number; meaning: string }>;
  progress: number;
  sent_last_minute: number;
  sent_last_hour: number;
  /** At the last hour's pace, held back by the daily limit (carry-over) and quiet hours. */
  projected_finish_at: string | null;
  /** F4.5: delivered %, bounces + errors %, opens % (human and total), clicks %, unsubscribes, complaints. */
  kpis: CampaignKpis | null;
  /** Events per hour for charts (UTC hours). */
  hourly: HourlyActivity[];
  /** Clicks per link: total, human, unique clickers. */
  links: TrackingCounts['clicks_by_url'];
}

/**
 * A one-off campaign's numbers are its delivery's; a recurring or triggered campaign's are the sum
 * of all its runs (its `delivery` is the latest run); `deliveryId` asks for one run (of this
 * campaign: the caller checked).
 */
export async function campaignStats(deps: AppDeps, actor: Actor, id: number, options: { deliveryId?: number } = {}): Promise<CampaignStats> {
  const campaign = await loadCampaignRow(deps, actor, id);
  const deliveryId = options.deliveryId ?? (await currentDeliveryId(deps, id));
  const scope: RunScope = { campaignId: id, deliveryId: options.deliveryId === undefined && !campaignFollowsDelivery(campaign.kind) ? null : deliveryId };
  const empty: CampaignStats = {
    campaign_id: id,
    status: campaign.status,
    runs: scope.deliveryId === null ? 'all' : 'one',
    delivery: null,
    total: 0,
    to_send: 0,
    sent: 0,
    deferred: 0,
    failed: 0,
    skipped: 0,
    cancelled: 0,
    uncertain: 0,
    possible_duplicates: 0,
    by_status: {},
    by_reason: [],
    progress: 0,
    sent_last_minute: 0,
    sent_last_hour: 0,
    projected_finish_at: null,
    kpis: null,
    hourly: [],
    links: [],
  };
  if (deliveryId === null) return empty;
  const { db } = deps.store;
  const delivery = await db
    .selectFrom('deliveries')
    .select(['id', 'status', 'status_reason', 'scheduled_at', 'prepared_at', 'started_at', 'finished_at'])
    .where('id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  const groups = await db
    .selectFrom('messages')
    .select(['status', 'reason', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('possible_duplicate').as('dups')])
    .$call((q) => inScope(q, deps, scope))
    .groupBy(['status', 'reason'])
    .execute();
  const s = { ...empty, delivery };
  for (const g of groups) {
    const n = Number(g.n);
    s.total += n;
    s.by_status[g.status] = (s.by_status[g.status] ?? 0) + n;
    s.possible_duplicates += Number(g.dups ?? 0);
    if (g.reason) {
      s.by_reason.push({ reason: g.reason, status: g.status, count: n, meaning: REASONS[g.reason as Reason] ?? '' });
    }
  }
  const by = (k: string) => s.by_status[k] ?? 0;
  s.sent = by('sent');
  s.deferred = by('deferred');
  s.failed = by('failed');
  s.skipped = by('skipped');
  s.cancelled = by('cancelled');
  s.uncertain = by('uncertain');
  s.to_send = by('queued') + by('claimed') + by('sending') + by('deferred');
  s.progress = s.total === 0 ? (delivery.status === 'completed' ? 1 : 0) : (s.total - s.to_send) / s.total;
  s.by_reason.sort((a, b) => b.count - a.count);
  const now = deps.clock.now();
  const minuteAgo = new Date(now.getTime() - 60_000).toISOString();
  const recent = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$call((q) => inScope(q, deps, scope))
    .where('status', '=', 'sent')
    .where('sent_at', '>=', minuteAgo)
    .executeTakeFirstOrThrow();
  s.sent_last_minute = Number(recent.n);
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const lastHour = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$call((q) => inScope(q, deps, scope))
    .where('status', '=', 'sent')
    .where('sent_at', '>=', hourAgo)
    .executeTakeFirstOrThrow();
  s.sent_last_hour = Number(lastHour.n);
  s.kpis = await deliveryKpis(deps, scope);
  s.hourly = await deliveryActivityByHour(deps, scope);
  s.links = (await trackingCounts(deps, actor.accountId, id)).clicks_by_url;
  if (s.to_send > 0 && s.sent_last_hour > 0) {
    const policy = await loadPacingPolicy(deps, actor.accountId);
    const channel = campaign.channel as Channel;
    const limits = await readAccountLimits(deps, actor);
    const today = limits.channels.find((c) => c.channel === channel);
    const quiet = effectiveQuietHours(policy, campaign.settings, campaign.kind);
    const finish = projectFinish({
      toSend: s.to_send,
      sentLastHour: s.sent_last_hour,
      dailyRemaining: today?.remaining_today ?? null,
      dailyLimit: today?.effective_limit ?? null,
      now,
      zone: policy.timezone,
      quietWindow: quiet,
    });
    s.projected_finish_at = finish?.toISOString() ?? null;
  }
  return s;
}
