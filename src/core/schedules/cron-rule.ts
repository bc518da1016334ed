// A recurring campaign's rule: a cron pattern read in an IANA time zone (croner). Pure: every
// function takes the instant it reasons from. Five fields (minute precision) or six (seconds
// first); day-of-month and day-of-week combine with OR, as in Vixie cron. A fixed time that falls
// into a DST gap runs at the first valid time after it, and once when the local time repeats.
import { Cron } from 'croner';
import { IANAZone } from 'luxon';

export type CronRule = Cron;

export type CompiledCron = { ok: true; rule: CronRule } | { ok: false; field: 'cron' | 'timezone'; message: string };

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Compiles a rule; on failure says which field is wrong and why, in words a user can act on. */
export function compileCron(pattern: string, timezone: string): CompiledCron {
  if (!isValidZone(timezone)) {
    return { ok: false, field: 'timezone', message: `timezone: "${timezone}" is not an IANA time zone such as "Europe/Berlin"` };
  }
  try {
    // No callback: croner starts no timer, the object only computes occurrences.
    const rule = new Cron(pattern.trim(), { timezone, mode: '5-or-6-parts', paused: true });
    // A rule that is well formed but never fires ("0 0 31 2 *") is as useless as a broken one.
    if (rule.nextRun(new Date(0)) === null) return { ok: false, field: 'cron', message: `cron: "${pattern}" never fires` };
    return { ok: true, rule };
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern:\s*/, '');
    return { ok: false, field: 'cron', message: `cron: "${pattern}" is not a valid cron rule (5 fields "min hour day month weekday", or 6 with seconds first): ${why}` };
  }
}

/** Rounds up to a whole second: occurrences are whole seconds. */
function ceilSecond(t: Date): number {
  return Math.ceil(t.getTime() / 1000) * 1000;
}

/** The first occurrence at or after `t`. */
export function occurrenceAtOrAfter(rule: CronRule, t: Date): Date | null {
  return rule.nextRun(new Date(ceilSecond(t) - 1000));
}

/** The first occurrence strictly after `t`. */
export function occurrenceAfter(rule: CronRule, t: Date): Date | null {
  const next = rule.nextRun(t);
  return next && next.getTime() > t.getTime() ? next : next ? rule.nextRun(next) : null;
}

/** The latest occurrence at or before `t` (null: none). */
export function occurrenceAtOrBefore(rule: CronRule, t: Date): Date | null {
  const [prev] = rule.previousRuns(1, new Date(Math.floor(t.getTime() / 1000) * 1000 + 1000));
  return prev && prev.getTime() <= t.getTime() ? prev : null;
}

/** Up to `n` occurrences at or after `from`, before `until` (exclusive) when given. */
export function occurrencesFrom(rule: CronRule, from: Date, n: number, until: Date | null): Date[] {
  const out: Date[] = [];
  let next = occurrenceAtOrAfter(rule, from);
  while (next && out.length < n && (!until || next.getTime() < until.getTime())) {
    out.push(next);
    next = occurrenceAfter(rule, next);
  }
  return out;
}

/** How many occurrences fall in [from, until), counting at most `cap` (a long outage of a per-second rule). */
export function countOccurrences(rule: CronRule, from: Date, until: Date, cap = 10_000): number {
  let n = 0;
  let next = occurrenceAtOrAfter(rule, from);
  while (next && next.getTime() < until.getTime() && n < cap) {
    n++;
    next = occurrenceAfter(rule, next);
  }
  return n;
}
