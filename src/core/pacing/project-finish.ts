// When will a delivery finish? At the current rate, held back by daily limits (what does not fit
// today carries over to the next local day) and paused by quiet hours. An estimate for campaign
// stats: quiet hours are taken in one zone (the account's), though recipients may be spread wider.
import { localDay } from './local-day.ts';
import { nextQuietStart, type QuietWindow, quietHoursEnd } from './quiet-hours.ts';

export interface ProjectionInput {
  toSend: number;
  /** Messages sent in the last hour: the current rate. */
  sentLastHour: number;
  /** What today's limit still allows (null: unlimited today). */
  dailyRemaining: number | null;
  /** The limit of each following day (null: unlimited). */
  dailyLimit: number | null;
  now: Date;
  zone: string;
  quietWindow: QuietWindow | null;
}

/** Ten years of days: beyond that the answer is "not in any useful time". */
const MAX_STEPS = 10_000;

/** The projected finish time; null when it cannot be projected (no current rate, a limit of 0). */
export function projectFinish(p: ProjectionInput): Date | null {
  if (p.toSend <= 0) return p.now;
  if (p.sentLastHour <= 0) return null;
  const perMs = p.sentLastHour / 3_600_000;
  let t = p.now.getTime();
  let left = p.toSend;
  let day = localDay(p.now, p.zone);
  let capacity = p.dailyRemaining ?? p.dailyLimit ?? Number.POSITIVE_INFINITY;

  for (let step = 0; step < MAX_STEPS; step++) {
    const quietEnd = p.quietWindow ? quietHoursEnd(new Date(t), p.zone, p.quietWindow) : null;
    if (quietEnd) {
      t = quietEnd.getTime();
    }
    const today = localDay(new Date(t), p.zone);
    if (today.date !== day.date) {
      day = today;
      capacity = p.dailyLimit ?? Number.POSITIVE_INFINITY;
    }
    if (capacity <= 0) {
      if (p.dailyLimit === 0) return null;
      t = day.next.getTime();
      continue;
    }
    let boundary = day.next.getTime();
    if (p.quietWindow) boundary = Math.min(boundary, nextQuietStart(new Date(t), p.zone, p.quietWindow).getTime());
    if (boundary <= t) boundary = t + 60_000;

    const byTime = perMs * (boundary - t);
    const batch = Math.min(left, capacity);
    if (batch <= byTime) {
      t += batch / perMs;
      left -= batch;
      capacity -= batch;
      if (left <= 0) return new Date(Math.ceil(t));
      t = day.next.getTime(); // today's limit is used up: carry over to the next local day
    } else {
      left -= byTime;
      capacity -= byTime;
      t = boundary;
    }
  }
  return null;
}
