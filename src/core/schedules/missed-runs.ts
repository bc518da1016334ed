// What becomes of a due occurrence of a recurring campaign. Normally it runs (or waits for
// confirmation). When Herald was down past one or more occurrences, the schedule's policy says:
// - run_once: one run, for the latest missed occurrence (never a burst of catch-up runs);
// - skip: the latest occurrence is recorded as a skipped run, unless it is within the grace period
//   of its time (a worker that was busy or restarted quickly still sends it).
// Earlier missed occurrences are never run; the run's reason says how many there were.

export type MissedRunsPolicy = 'run_once' | 'skip';
export const MISSED_RUNS_POLICIES: readonly MissedRunsPolicy[] = ['run_once', 'skip'];

/** An occurrence this close to its time counts as on time, whatever the policy (written down in the README). */
export const MISSED_RUN_GRACE_MS = 10 * 60_000;

export interface OccurrencePlan {
  status: 'scheduled' | 'awaiting_confirmation' | 'skipped';
  /** Why the run is what it is, or null for an ordinary on-time run. */
  reason: string | null;
  /** Occurrences before this one that were missed and not run. */
  missedBefore: number;
}

export function planOccurrence(args: {
  occurrence: Date;
  now: Date;
  /** How many earlier due occurrences were passed over (Herald was down). */
  missedBefore: number;
  policy: MissedRunsPolicy;
  confirmEachRun: boolean;
  graceMs?: number;
}): OccurrencePlan {
  const grace = args.graceMs ?? MISSED_RUN_GRACE_MS;
  const lateMs = args.now.getTime() - args.occurrence.getTime();
  const late = lateMs > grace;
  const earlier = args.missedBefore > 0 ? `; ${args.missedBefore} earlier occurrence(s) were missed while Herald was not running and are not run` : '';
  if (late && args.policy === 'skip') {
    return {
      status: 'skipped',
      reason: `missed: Herald was not running at ${args.occurrence.toISOString()} (${Math.round(lateMs / 60_000)} min late, more than the ${Math.round(grace / 60_000)} min grace); the schedule's missed_runs policy is skip${earlier}`,
      missedBefore: args.missedBefore,
    };
  }
  const waiting = args.confirmEachRun ? 'awaiting_confirmation' : 'scheduled';
  const reason = late
    ? `late: Herald was not running at ${args.occurrence.toISOString()}; the schedule's missed_runs policy is run_once, so this run makes up for it${earlier}`
    : args.missedBefore > 0
      ? `caught up${earlier}`
      : null;
  return { status: waiting, reason, missedBefore: args.missedBefore };
}
