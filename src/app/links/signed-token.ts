// Opaque signed tokens for links inside messages (unsubscribe, later tracking). A token names a
// purpose and a message id and carries an HMAC over both, so it cannot be forged, moved to another
// message or reused for another purpose. base64url keeps it URL-safe.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'open' | 'click' | 'link';

function mac(secret: string, purpose: TokenPurpose, payload: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${payload}`).digest('base64url').slice(0, 22);
}

export function signToken(secret: string, purpose: TokenPurpose, messageId: number): string {
  const payload = messageId.toString(36);
  return `${payload}.${mac(secret, purpose, payload)}`;
}

/** The message id, or null for a forged, truncated or foreign token. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string): number | null {
  const m = /^([0-9a-z]{1,13})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(secret, purpose, m[1]));
  const given = Buffer.from(m[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const id = Number.parseInt(m[1], 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
