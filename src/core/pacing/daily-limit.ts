// Today's effective daily limit (F1.1): the configured limit, lowered by warm-up for a new sender,
// and adapted to the complaint rate: it shrinks by `step` for every day the 7-day rate is above
// `shrink_above`, grows back by `step` for every day it is below `grow_below`, and sending stops
// when it reaches `stop_at`. The configured limit is the owner's ceiling: adaptation never lifts
// the limit above it (a provider contract or an IP plan is usually behind that number).
import type { ComplaintAdaptive, Warmup } from './pacing-policy.ts';

export type AdaptationState = 'grow' | 'hold' | 'shrink' | 'stop';

export interface ComplaintCounts {
  sent7d: number;
  complaints7d: number;
}

export function complaintRate(c: ComplaintCounts): number {
  return c.sent7d > 0 ? c.complaints7d / c.sent7d : 0;
}

/** "0.4 %" — rates are shown as percentages with at most two decimals. */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toFixed(2))} %`;
}

/**
 * Today's adaptation factor from yesterday's (1 when there is none) and the 7-day counts. The
 * factor stays within [step, 1]: never above the configured limit, never shrunk to nothing
 * (stopping is its own state, decided by the rate alone, so it lifts as soon as the rate falls).
 */
export function adaptFactor(previous: number | null, counts: ComplaintCounts, policy: ComplaintAdaptive): { factor: number; state: AdaptationState } {
  const prev = previous ?? 1;
  if (!policy.enabled) return { factor: 1, state: 'hold' };
  const rate = complaintRate(counts);
  if (rate >= policy.stop_at) return { factor: prev, state: 'stop' };
  if (rate > policy.shrink_above) return { factor: Math.max(policy.step, round(prev * (1 - policy.step))), state: 'shrink' };
  if (rate < policy.grow_below) return { factor: Math.min(1, round(prev * (1 + policy.step))), state: prev < 1 ? 'grow' : 'hold' };
  return { factor: prev, state: 'hold' };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** Warm-up's cap on day d (whole days since it started): start_per_day × growth^d. */
export function warmupCap(warmup: Warmup, now: Date): { day: number; cap: number } | null {
  if (!warmup.enabled || !warmup.started_at) return null;
  const day = Math.max(0, Math.floor((now.getTime() - Date.parse(warmup.started_at)) / 86_400_000));
  // Past ~60 days any growth factor has left every real limit behind; cap the exponent.
  return { day, cap: Math.floor(warmup.start_per_day * warmup.growth_factor ** Math.min(day, 200)) };
}

export interface EffectiveDailyLimit {
  /** Messages allowed today; null = unlimited. */
  limit: number | null;
  stopped: boolean;
  /** One sentence per rule that shaped the limit, for the API and for the defer detail. */
  explanation: string[];
}

export function effectiveDailyLimit(input: {
  configured: number | null;
  warmup: Warmup;
  adaptation: { factor: number; state: AdaptationState; counts: ComplaintCounts; policy: ComplaintAdaptive };
  now: Date;
}): EffectiveDailyLimit {
  const explanation: string[] = [];
  let limit = input.configured;
  explanation.push(limit === null ? 'no daily limit is configured' : `the configured daily limit is ${limit}`);

  const warm = warmupCap(input.warmup, input.now);
  if (warm && (limit === null || warm.cap < limit)) {
    limit = warm.cap;
    explanation.push(`warm-up day ${warm.day}: ${input.warmup.start_per_day} × ${input.warmup.growth_factor}^${warm.day} = ${warm.cap} per day`);
  } else if (warm) {
    explanation.push(`warm-up day ${warm.day} allows ${warm.cap}, above the configured limit: warm-up is complete`);
  }

  const { factor, state, counts, policy } = input.adaptation;
  const rate = complaintRate(counts);
  const over = `complaint rate ${formatRate(rate)} over 7 days (${counts.complaints7d} of ${counts.sent7d})`;
  if (!policy.enabled) {
    explanation.push('complaint adaptation is off');
  } else if (state === 'stop') {
    explanation.push(`complaint rate ${formatRate(rate)} over 7 days is at or above ${formatRate(policy.stop_at)}: sending stopped`);
    return { limit: 0, stopped: true, explanation };
  } else if (limit === null) {
    explanation.push(`${over}; with no daily limit, complaint adaptation can only stop sending (at ${formatRate(policy.stop_at)})`);
  } else if (factor < 1 || state !== 'hold') {
    const adapted = Math.floor(limit * factor);
    const why = state === 'shrink' ? `is above ${formatRate(policy.shrink_above)}: shrunk` : state === 'grow' ? `is below ${formatRate(policy.grow_below)}: growing back` : 'holds';
    explanation.push(`${over} ${why}; the limit is ${Math.round(factor * 100)} % of ${limit} = ${adapted}`);
    limit = adapted;
  } else {
    explanation.push(`${over} is below ${formatRate(policy.shrink_above)}: no reduction`);
  }
  return { limit, stopped: false, explanation };
}
