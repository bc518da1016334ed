// Checks of what a person gives when suppressing by hand: a channel Herald knows, an address in
// that channel's normal form, a note of sensible length, an expiry in the future.
import { CHANNELS, type Channel } from '../../core/channels.ts';
import { normalizeSuppressionAddress } from '../../core/suppression-address.ts';
import { isSuppressionReason, SUPPRESSION_REASONS, type SuppressionReason } from '../../core/suppression-reason.ts';
import { invalid } from '../errors.ts';

export const MAX_NOTE = 1000;

export function requireChannel(value: string, field = 'channel'): Channel {
  if (!(CHANNELS as readonly string[]).includes(value)) throw invalid(field, `unknown channel "${value}": use one of ${CHANNELS.join(', ')}`);
  return value as Channel;
}

export function requireReason(value: string, field = 'reason'): SuppressionReason {
  if (!isSuppressionReason(value)) throw invalid(field, `unknown reason "${value}": use one of ${SUPPRESSION_REASONS.join(', ')}`);
  return value;
}

export function requireAddress(channel: string, raw: string, field = 'address'): string {
  const n = normalizeSuppressionAddress(channel, raw);
  if (!n.ok) throw invalid(field, `"${raw}" is not a valid ${channel === 'sms' ? 'phone number' : `${channel} address`}: ${n.reason}`);
  return n.value;
}

export function optionalNote(value: string | null | undefined, field = 'note'): string | null {
  const note = value?.trim() ?? '';
  if (note.length > MAX_NOTE) throw invalid(field, `is longer than ${MAX_NOTE} characters`);
  return note === '' ? null : note;
}

/** An ISO date-time after `now`, stored in the one UTC form every timestamp has (sorts as text). */
export function optionalExpiry(value: string | null | undefined, now: string, field = 'expires_at'): string | null {
  if (value === null || value === undefined || value === '') return null;
  // A bare date or a time without zone would be read in the server's zone: ask for an explicit one.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw invalid(field, `"${value}" is not an ISO 8601 date-time with a time zone, e.g. 2026-12-31T23:59:59Z`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(field, `"${value}" is not a real date-time`);
  const iso = new Date(ms).toISOString();
  if (iso <= now) throw invalid(field, `${iso} is not in the future (now is ${now})`);
  return iso;
}
