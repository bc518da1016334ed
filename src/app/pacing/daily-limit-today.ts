// Today's effective daily limit of an account and channel. The complaint-adaptive factor is
// decided once per local day (by the first worker that asks) and stored, so every process uses
// the same number all day and GET /account/limits can explain it.
import type { Channel } from '../../core/channels.ts';
import { type AdaptationState, adaptFactor, type EffectiveDailyLimit, effectiveDailyLimit } from '../../core/pacing/daily-limit.ts';
import { type LocalDay, localDay } from '../../core/pacing/local-day.ts';
import type { PacingPolicy } from '../../core/pacing/pacing-policy.ts';
import type { AppDeps } from '../deps.ts';
import { loadComplaintCounts } from './complaint-counts.ts';
import { notifyComplaintRateHigh } from './notify-pacing.ts';

export interface DailyLimitToday extends EffectiveDailyLimit {
  day: LocalDay;
  configured: number | null;
  factor: number;
  state: AdaptationState;
}

/** `record: false` (reading limits for a person) computes today's factor without storing it. */
export async function loadDailyLimitToday(
  deps: AppDeps,
  args: { accountId: number; channel: Channel; policy: PacingPolicy; now: Date; record?: boolean },
): Promise<DailyLimitToday> {
  const { db } = deps.store;
  const day = localDay(args.now, args.policy.timezone);
  const base = db.selectFrom('limit_adaptations').selectAll().where('account_id', '=', args.accountId).where('channel', '=', args.channel);
  let row = await base.where('day', '=', day.date).executeTakeFirst();
  /** Today's factor was decided by this call (the first of the day): report a lowered limit once. */
  let decidedNow = false;
  if (!row) {
    const previous = await base.where('day', '<', day.date).orderBy('day', 'desc').limit(1).executeTakeFirst();
    const counts = await loadComplaintCounts(deps, args.accountId, args.channel, args.now);
    const { factor, state } = adaptFactor(previous?.factor ?? null, counts, args.policy.complaint_adaptive);
    const fresh = {
      account_id: args.accountId,
      channel: args.channel,
      day: day.date,
      factor,
      state,
      sent_7d: counts.sent7d,
      complaints_7d: counts.complaints7d,
      created_at: args.now.toISOString(),
    };
    if (args.record === false) row = fresh;
    else {
      // Two workers may decide at once; the first row wins and both use it.
      await db.insertInto('limit_adaptations').values(fresh).onConflict((oc) => oc.columns(['account_id', 'channel', 'day']).doNothing()).execute();
      row = await base.where('day', '=', day.date).executeTakeFirstOrThrow();
      decidedNow = true;
    }
  }
  const configured = args.policy.daily_limit[args.channel] ?? null;
  const state = row.state as AdaptationState;
  const effective = effectiveDailyLimit({
    configured,
    warmup: args.policy.warmup,
    adaptation: { factor: Number(row.factor), state, counts: { sent7d: row.sent_7d, complaints7d: row.complaints_7d }, policy: args.policy.complaint_adaptive },
    now: args.now,
  });
  if (decidedNow && (state === 'shrink' || state === 'stop')) {
    await notifyComplaintRateHigh(deps, { accountId: args.accountId, channel: args.channel, day: day.date, state, factor: Number(row.factor), limit: effective.limit, explanation: effective.explanation });
  }
  return { ...effective, day, configured, factor: Number(row.factor), state };
}
