// Sending capacity shared by every worker process: daily limits and per-domain throttles are
// counters in the database, taken with one conditional upsert each, so two processes never exceed
// a limit together (the row lock on PostgreSQL, the single writer on SQLite) and what is left is
// granted in part. What does not fit is deferred: to the next minute for a throttle, to the next
// local midnight of the account for the daily limit (F1.1: the overflow goes the next day).
import { sql } from 'kysely';
import type { Channel } from '../../core/channels.ts';
import { type DomainThrottles, throttleFor } from '../../core/pacing/default-domain-throttles.ts';
import { localDay, minuteWindow } from '../../core/pacing/local-day.ts';
import type { AppDeps } from '../deps.ts';

/** Stands for "no limit" in the counter statement (the counter still counts, for GET /limits). */
const UNLIMITED = 2_000_000_000;

export type LimitReason = 'daily_limit' | 'domain_throttle';

export interface Deferral {
  until: Date;
  reason: LimitReason;
  detail: string;
}

/** What a reservation touched, so unused capacity can be given back to the same windows. */
export interface SendReservation {
  accountId: number;
  channel: Channel;
  dayWindow: string;
  minuteWindow: string;
  throttledDomains: string[];
}

export interface ReserveInput {
  accountId: number;
  channel: Channel;
  now: Date;
  /** The account's zone: its midnight is the daily limit's boundary. */
  zone: string;
  /** Messages wanted now per recipient domain ("" for addresses without one). */
  domains: Map<string, number>;
  /** Today's effective limit (null: unlimited). */
  dailyLimit: number | null;
  /** Why the daily limit is what it is (warm-up, complaints), appended to the defer detail. */
  dailyDetail?: string;
  throttles: DomainThrottles;
}

export interface ReserveResult {
  granted: Map<string, number>;
  deferredUntil: Map<string, Deferral>;
  reservation: SendReservation;
}

export const dailyScope = (channel: string) => `daily:${channel}`;
export const domainScope = (domain: string) => `domain:${domain}:minute`;

/**
 * take-capacity: add up to `want` to a counter without passing `limit`; returns what was added.
 * The SET expressions all read the row as it was before the update (SQL semantics in both
 * dialects), so `last_grant` is exactly the difference the same statement made.
 */
async function takeCapacity(deps: AppDeps, a: { accountId: number; scope: string; window: string; want: number; limit: number }): Promise<number> {
  const first = Math.min(a.want, a.limit);
  const count = sql.ref('send_counters.count');
  const row = await deps.store.db
    .insertInto('send_counters')
    .values({ account_id: a.accountId, scope: a.scope, window_start: a.window, count: first, last_grant: first })
    .onConflict((oc) =>
      oc.columns(['account_id', 'scope', 'window_start']).doUpdateSet({
        count: sql<number>`case when ${count} + ${a.want} <= ${a.limit} then ${count} + ${a.want} when ${count} < ${a.limit} then ${a.limit} else ${count} end`,
        last_grant: sql<number>`case when ${count} + ${a.want} <= ${a.limit} then ${a.want} when ${count} < ${a.limit} then ${a.limit} - ${count} else 0 end`,
      }),
    )
    .returning('last_grant')
    .executeTakeFirstOrThrow();
  return Number(row.last_grant);
}

async function giveBack(deps: AppDeps, a: { accountId: number; scope: string; window: string; amount: number }): Promise<void> {
  if (a.amount <= 0) return;
  await deps.store.db
    .updateTable('send_counters')
    .set({ count: sql<number>`case when ${sql.ref('count')} > ${a.amount} then ${sql.ref('count')} - ${a.amount} else 0 end` })
    .where('account_id', '=', a.accountId)
    .where('scope', '=', a.scope)
    .where('window_start', '=', a.window)
    .execute();
}

/**
 * Reserves capacity for a batch: first each throttled domain's minute, then the day for what the
 * throttles let through; what the day cannot take is given back to the domains it was cut from.
 */
export async function reserveSends(deps: AppDeps, input: ReserveInput): Promise<ReserveResult> {
  const day = localDay(input.now, input.zone);
  const minute = minuteWindow(input.now);
  const reservation: SendReservation = {
    accountId: input.accountId,
    channel: input.channel,
    dayWindow: day.start.toISOString(),
    minuteWindow: minute.start.toISOString(),
    throttledDomains: [],
  };
  const granted = new Map<string, number>();
  const deferredUntil = new Map<string, Deferral>();

  const throughThrottle = new Map<string, number>();
  for (const [domain, n] of input.domains) {
    if (n <= 0) continue;
    const perMinute = domain ? throttleFor(domain, input.throttles) : null;
    if (perMinute === null) {
      throughThrottle.set(domain, n);
      continue;
    }
    reservation.throttledDomains.push(domain);
    const g = await takeCapacity(deps, { accountId: input.accountId, scope: domainScope(domain), window: reservation.minuteWindow, want: n, limit: perMinute });
    throughThrottle.set(domain, g);
    if (g < n) {
      deferredUntil.set(domain, {
        until: minute.next,
        reason: 'domain_throttle',
        detail: `${domain} takes at most ${perMinute} messages per minute from this account; this one goes in a later minute`,
      });
    }
  }

  const want = [...throughThrottle.values()].reduce((s, n) => s + n, 0);
  let left =
    want > 0
      ? await takeCapacity(deps, { accountId: input.accountId, scope: dailyScope(input.channel), window: reservation.dayWindow, want, limit: input.dailyLimit ?? UNLIMITED })
      : 0;
  const dailyDetail =
    input.dailyLimit === 0 && input.dailyDetail
      ? input.dailyDetail
      : `the ${input.channel} daily limit of ${input.dailyLimit} for ${day.date} (${input.zone}) is used up; carried over to the next day${input.dailyDetail ? ` (${input.dailyDetail})` : ''}`;
  for (const [domain, g] of throughThrottle) {
    const give = Math.min(g, left);
    left -= give;
    granted.set(domain, give);
    if (give < g) {
      if (reservation.throttledDomains.includes(domain)) {
        await giveBack(deps, { accountId: input.accountId, scope: domainScope(domain), window: reservation.minuteWindow, amount: g - give });
      }
      deferredUntil.set(domain, { until: day.next, reason: 'daily_limit', detail: dailyDetail });
    }
  }
  return { granted, deferredUntil, reservation };
}

/** Gives back capacity reserved but not used (a message skipped or not handed off after all). */
export async function releaseSends(deps: AppDeps, reservation: SendReservation, domains: Map<string, number>): Promise<void> {
  let total = 0;
  for (const [domain, n] of domains) {
    if (n <= 0) continue;
    total += n;
    if (reservation.throttledDomains.includes(domain)) {
      await giveBack(deps, { accountId: reservation.accountId, scope: domainScope(domain), window: reservation.minuteWindow, amount: n });
    }
  }
  await giveBack(deps, { accountId: reservation.accountId, scope: dailyScope(reservation.channel), window: reservation.dayWindow, amount: total });
}

/** Drops counters nobody will read again: past minutes after an hour, past days after 35 days. */
export async function pruneSendCounters(deps: AppDeps, accountId: number, now: Date): Promise<void> {
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const monthAgo = new Date(now.getTime() - 35 * 86_400_000).toISOString();
  await deps.store.db
    .deleteFrom('send_counters')
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb.and([eb('scope', 'like', 'domain:%'), eb('window_start', '<', hourAgo)]), eb('window_start', '<', monthAgo)]))
    .execute();
}
