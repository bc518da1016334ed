// The address a suppression is keyed by, normalized per channel the same way contacts are, so that
// " Anna@Example.com" on the blocklist matches the contact "anna@example.com" and "0049 151 …"
// matches "+49151…". Channels without a normal form (messenger handles, letters) are trimmed only.
import { type Normalized, normalizeEmail, normalizePhone } from './address.ts';

const MAX_OTHER_ADDRESS = 320;

export function normalizeSuppressionAddress(channel: string, raw: string): Normalized {
  if (channel === 'email') return normalizeEmail(raw);
  if (channel === 'sms') return normalizePhone(raw);
  const value = raw.trim();
  if (value === '') return { ok: false, reason: 'is empty' };
  if (value.length > MAX_OTHER_ADDRESS) return { ok: false, reason: `is longer than ${MAX_OTHER_ADDRESS} characters` };
  return { ok: true, value };
}

const MAX_REPLY_IN_SOURCE = 200;

/**
 * The source recorded for a hard bounce: "bounce: " and the server's reply on one line, cut to
 * 200 characters (replies can run to kilobytes of HTML-ish text; the first line holds the codes).
 */
export function bounceSource(response: string): string {
  const oneLine = response.replace(/\s+/g, ' ').trim();
  const reply = oneLine.length > MAX_REPLY_IN_SOURCE ? `${oneLine.slice(0, MAX_REPLY_IN_SOURCE - 1)}…` : oneLine;
  return `bounce: ${reply || 'no reply text'}`;
}
