// Quiet hours in a recipient's local time (F0.5): is it quiet now, when does it end, and how the
// backlog that waited for the end is spread so it does not all leave in the same minute.
import { DateTime } from 'luxon';
import { minutesOfDay } from './pacing-policy.ts';

export interface QuietWindow {
  /** "HH:mm" local; start > end means the window spans midnight (21:00–09:00). */
  start: string;
  end: string;
}

/** Today's (local) date at hh:mm in the zone; a time that a DST change skips moves forward (luxon). */
function atLocal(day: DateTime, hhmm: string): DateTime {
  const m = minutesOfDay(hhmm);
  return day.set({ hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 });
}

/**
 * The end of the quiet window `now` is in, in the recipient's zone; null when `now` is outside it.
 * Works on wall-clock minutes of the local day, so 21:00–09:00 and 01:00–05:00 both hold, and the
 * end is computed on the right local date across midnight and DST changes.
 */
export function quietHoursEnd(now: Date, zone: string, window: QuietWindow): Date | null {
  const local = DateTime.fromJSDate(now, { zone });
  const m = local.hour * 60 + local.minute;
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  if (start === end) return null;
  if (start < end) {
    return m >= start && m < end ? atLocal(local, window.end).toJSDate() : null;
  }
  if (m >= start) return atLocal(local.plus({ days: 1 }), window.end).toJSDate();
  if (m < end) return atLocal(local, window.end).toJSDate();
  return null;
}

/** The next time a quiet window starts after `now` (now itself when it starts this minute). */
export function nextQuietStart(now: Date, zone: string, window: QuietWindow): Date {
  const local = DateTime.fromJSDate(now, { zone });
  const today = atLocal(local, window.start);
  return (today.toMillis() >= local.startOf('minute').toMillis() ? today : atLocal(local.plus({ days: 1 }), window.start)).toJSDate();
}

/**
 * Where in the ramp after `windowEnd` a message goes: a deterministic spread by `key` (the message
 * id). Fibonacci hashing (key × 2^32/φ) places consecutive ids evenly over the ramp, so the 09:00
 * backlog of a delivery leaves over 09:00–10:00 instead of at 09:00 sharp, and re-deciding the
 * same message gives the same slot.
 */
export function rampedStart(windowEnd: Date, rampMinutes: number, key: number): Date {
  if (rampMinutes <= 0) return windowEnd;
  const fraction = (Math.imul(key | 0, 0x9e3779b1) >>> 0) / 2 ** 32;
  return new Date(windowEnd.getTime() + Math.floor(fraction * rampMinutes * 60) * 1000);
}
