// Today's counters and effective limits of an account, with the rules that shaped each limit
// (warm-up, complaint adaptation), for GET /api/v1/account/limits and `herald policy limits`.
import { CHANNELS, type Channel } from '../../core/channels.ts';
import { type DomainThrottles, OTHER_DOMAINS } from '../../core/pacing/default-domain-throttles.ts';
import { minuteWindow } from '../../core/pacing/local-day.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { loadPacingPolicy } from './account-policy.ts';
import { loadDailyLimitToday } from './daily-limit-today.ts';
import { dailyScope } from './send-counters.ts';

export interface ChannelLimitView {
  channel: Channel;
  configured_limit: number | null;
  effective_limit: number | null;
  sent_today: number;
  remaining_today: number | null;
  stopped: boolean;
  complaint_factor: number;
  complaint_state: string;
  explanation: string[];
}

export interface AccountLimitsView {
  timezone: string;
  day: string;
  day_started_at: string;
  next_day_at: string;
  channels: ChannelLimitView[];
  domains_this_minute: Array<{ domain: string; per_minute: number | null; used: number }>;
}

export async function readAccountLimits(deps: AppDeps, actor: Actor): Promise<AccountLimitsView> {
  const now = deps.clock.now();
  const policy = await loadPacingPolicy(deps, actor.accountId);
  const channels = CHANNELS.filter((c) => c === 'email' || policy.daily_limit[c] !== undefined);
  const views: ChannelLimitView[] = [];
  let day = null;
  for (const channel of channels) {
    const today = await loadDailyLimitToday(deps, { accountId: actor.accountId, channel, policy, now, record: false });
    day = today.day;
    const counter = await deps.store.db
      .selectFrom('send_counters')
      .select('count')
      .where('account_id', '=', actor.accountId)
      .where('scope', '=', dailyScope(channel))
      .where('window_start', '=', today.day.start.toISOString())
      .executeTakeFirst();
    const sent = counter?.count ?? 0;
    views.push({
      channel,
      configured_limit: today.configured,
      effective_limit: today.limit,
      sent_today: sent,
      remaining_today: today.limit === null ? null : Math.max(0, today.limit - sent),
      stopped: today.stopped,
      complaint_factor: today.factor,
      complaint_state: today.state,
      explanation: today.explanation,
    });
  }
  const minute = minuteWindow(now).start.toISOString();
  const used = await deps.store.db
    .selectFrom('send_counters')
    .select(['scope', 'count'])
    .where('account_id', '=', actor.accountId)
    .where('scope', 'like', 'domain:%')
    .where('window_start', '=', minute)
    .execute();
  const usedBy = new Map(used.map((r) => [r.scope.slice('domain:'.length, -':minute'.length), r.count]));
  const throttles: DomainThrottles = policy.domain_throttles;
  const domains = Object.entries(throttles)
    .filter(([d]) => d !== OTHER_DOMAINS)
    .map(([domain, t]) => ({ domain, per_minute: t.per_minute, used: usedBy.get(domain) ?? 0 }));
  if (!day) throw new Error('unreachable: email is always listed');
  return {
    timezone: policy.timezone,
    day: day.date,
    day_started_at: day.start.toISOString(),
    next_day_at: day.next.toISOString(),
    channels: views,
    domains_this_minute: domains,
  };
}
