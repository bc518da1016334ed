// Password guessing is slowed per email: after MAX_FAILURES failed sign-ins within WINDOW_MS the
// email is refused (even with the right password) until the oldest failure in the window ages out.
export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/** Seconds to wait before the next attempt, or 0 when one may be made now. `failures` are ISO times, any order. */
export function loginRetryAfterSeconds(failures: readonly string[], now: Date): number {
  const since = now.getTime() - LOGIN_WINDOW_MS;
  const recent = failures.map((f) => Date.parse(f)).filter((t) => t > since).sort((a, b) => b - a);
  if (recent.length < LOGIN_MAX_FAILURES) return 0;
  // The attempt that frees a slot: the MAX_FAILURES-th newest leaves the window first.
  const freeing = recent[LOGIN_MAX_FAILURES - 1];
  return Math.max(1, Math.ceil((freeing + LOGIN_WINDOW_MS - now.getTime()) / 1000));
}
