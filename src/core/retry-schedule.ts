// When to try a deferred message again. Receiving servers that greylist or throttle (421/450/451/
// 452) expect the sender to come back in minutes, then less and less often; after the retry
// window (like Postfix's maximal_queue_lifetime, default 5 days; we use 3) we give up.

const STEPS_SECONDS = [60, 5 * 60, 15 * 60, 30 * 60, 60 * 60, 2 * 3600, 4 * 3600];
export const RETRY_WINDOW_MS = 3 * 24 * 3600 * 1000;

/**
 * The next attempt time after `attempts` tries, or null when the window since the first attempt is
 * used up. `jitter` in [0,1) spreads retries of a large batch so they do not return at once.
 */
export function nextRetryAt(now: Date, attempts: number, firstAttemptAt: Date, jitter: number): Date | null {
  if (now.getTime() - firstAttemptAt.getTime() >= RETRY_WINDOW_MS) return null;
  const base = STEPS_SECONDS[Math.min(Math.max(attempts - 1, 0), STEPS_SECONDS.length - 1)];
  const ms = base * 1000 * (1 + 0.2 * jitter);
  return new Date(now.getTime() + ms);
}
