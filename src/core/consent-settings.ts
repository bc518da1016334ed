// The account's double opt-in settings, read from accounts.settings (JSON text). A bad value
// never stops a worker: it falls back to the default and is reported in `problems`, which the
// settings API can turn into a 422 before saving.
import { normalizeEmail } from './address.ts';

export interface ConsentSettings {
  /** How long a confirmation request stays open (default 72 hours). */
  expiry_hours: number;
  /** The From address of confirmation emails; null: no-reply@<host of the public URL>. */
  default_from_email: string | null;
}

export const DEFAULT_CONSENT_EXPIRY_HOURS = 72;
/** A year: beyond that a "pending" confirmation means nothing. */
export const MAX_CONSENT_EXPIRY_HOURS = 24 * 365;

export function consentSettings(settingsJson: string | null | undefined): ConsentSettings & { problems: string[] } {
  const out: ConsentSettings & { problems: string[] } = { expiry_hours: DEFAULT_CONSENT_EXPIRY_HOURS, default_from_email: null, problems: [] };
  let parsed: unknown = {};
  try {
    parsed = JSON.parse(settingsJson || '{}');
  } catch {
    out.problems.push('settings: is not valid JSON');
    return out;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    out.problems.push('settings: must be a JSON object');
    return out;
  }
  const s = parsed as Record<string, unknown>;
  const hours = s.consent_expiry_hours;
  if (hours !== undefined && hours !== null) {
    if (typeof hours === 'number' && Number.isInteger(hours) && hours >= 1 && hours <= MAX_CONSENT_EXPIRY_HOURS) out.expiry_hours = hours;
    else out.problems.push(`settings.consent_expiry_hours: must be a whole number of hours from 1 to ${MAX_CONSENT_EXPIRY_HOURS}, got ${JSON.stringify(hours)}`);
  }
  const from = s.default_from_email;
  if (from !== undefined && from !== null && from !== '') {
    const n = typeof from === 'string' ? normalizeEmail(from) : { ok: false as const, reason: 'must be a string' };
    if (n.ok) out.default_from_email = n.value;
    else out.problems.push(`settings.default_from_email: ${n.reason}`);
  }
  return out;
}
