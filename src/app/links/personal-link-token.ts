// Personal links (F0.8): a URL into the customer's own app that names one contact, signed so the
// app can trust it ("log Anna in") without a password, and expiring. The token names the account,
// the contact, the expiry and a purpose label, and carries an HMAC with the instance secret.
//
// The MAC input starts with "personal-link:", a purpose no other token uses, and the token's shape
// (five dot-separated parts) differs from signed-token.ts's (two): an unsubscribe or tracking token
// can never pass as a login token, nor the other way round. The full 256-bit MAC is kept: these
// tokens open accounts, unlike unsubscribe links.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PersonalLinkClaims {
  accountId: number;
  contactId: number;
  expiresAt: Date;
  purpose: string;
}

/** The query parameter that carries the token in the customer's URL. */
export const PERSONAL_LINK_PARAM = 'herald_link';
export const DEFAULT_LINK_PURPOSE = 'login';

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`personal-link:${payload}`).digest('base64url');
}

export function signPersonalLink(secret: string, c: PersonalLinkClaims): string {
  const expires = Math.floor(c.expiresAt.getTime() / 1000);
  const payload = `${c.accountId.toString(36)}.${c.contactId.toString(36)}.${expires.toString(36)}.${c.purpose}`;
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * The claims of a token whose signature holds, or null for anything forged, truncated, altered or
 * signed by another instance. Expiry and account are the caller's to check: it has the clock and
 * knows who asks.
 */
export function readPersonalLink(secret: string, token: string): PersonalLinkClaims | null {
  const m = /^([0-9a-z]{1,13})\.([0-9a-z]{1,13})\.([0-9a-z]{1,13})\.([a-z0-9_-]{1,32})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!m) return null;
  const expected = Buffer.from(mac(secret, `${m[1]}.${m[2]}.${m[3]}.${m[4]}`));
  const given = Buffer.from(m[5]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [accountId, contactId, expires] = [m[1], m[2], m[3]].map((p) => Number.parseInt(p, 36));
  if (![accountId, contactId, expires].every(Number.isSafeInteger)) return null;
  return { accountId, contactId, expiresAt: new Date(expires * 1000), purpose: m[4] };
}
