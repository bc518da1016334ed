// How long a dashboard session lives: it slides (each use moves the end to now + the configured
// hours) but never past an absolute cap after sign-in, so a stolen token cannot be kept alive
// forever by using it.
export const SESSION_ABSOLUTE_CAP_MS = 7 * 24 * 3600_000;

/** last_seen_at is written at most this often (one write per minute per session, not per request). */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export function sessionExpiry(createdAt: Date, now: Date, slidingHours: number): Date {
  return new Date(Math.min(now.getTime() + slidingHours * 3600_000, createdAt.getTime() + SESSION_ABSOLUTE_CAP_MS));
}
