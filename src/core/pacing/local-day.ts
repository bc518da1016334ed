// The account's day: daily limits reset at midnight in the account's zone, not at UTC midnight.
import { DateTime } from 'luxon';

export interface LocalDay {
  /** "2026-03-02" in the zone. */
  date: string;
  /** Local midnight that began the day, as a UTC instant. */
  start: Date;
  /** The next local midnight (23, 24 or 25 hours later around DST changes). */
  next: Date;
}

export function localDay(now: Date, zone: string): LocalDay {
  const start = DateTime.fromJSDate(now, { zone }).startOf('day');
  return { date: start.toISODate() ?? '', start: start.toJSDate(), next: start.plus({ days: 1 }).toJSDate() };
}

/** The UTC minute `now` is in, and the next one (domain throttles count per minute). */
export function minuteWindow(now: Date): { start: Date; next: Date } {
  const start = Math.floor(now.getTime() / 60_000) * 60_000;
  return { start: new Date(start), next: new Date(start + 60_000) };
}
