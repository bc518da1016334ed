// The token of a tracked link carries the message id, the message's number of distinct links and
// the exact target URL, under one HMAC. The redirect goes only to a URL Herald itself put into a
// message: a forged, altered or truncated token is rejected, so /l/ is never an open redirect.
// Nothing is looked up to answer a click, which keeps the redirect free of database queries.
//
// Shape: <message id base36>.<link count base36>.<url base64url>.<mac 22 chars>, all URL-safe.
// A 60-character URL gives a ~120-character token.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ClickTarget {
  messageId: number;
  /** Distinct tracked links in the message (for the "every link clicked" scanner rule). */
  linkCount: number;
  url: string;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`click:${payload}`).digest('base64url').slice(0, 22);
}

export function signClickToken(secret: string, target: ClickTarget): string {
  const payload = `${target.messageId.toString(36)}.${target.linkCount.toString(36)}.${Buffer.from(target.url, 'utf8').toString('base64url')}`;
  return `${payload}.${mac(secret, payload)}`;
}

const SHAPE = /^([0-9a-z]{1,11})\.([0-9a-z]{1,4})\.([A-Za-z0-9_-]{1,8000})\.([A-Za-z0-9_-]{22})$/;

/** The signed target, or null for anything Herald did not sign. */
export function verifyClickToken(secret: string, token: string): ClickTarget | null {
  const m = SHAPE.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(secret, `${m[1]}.${m[2]}.${m[3]}`));
  const given = Buffer.from(m[4]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const messageId = Number.parseInt(m[1], 36);
  const linkCount = Number.parseInt(m[2], 36);
  const url = Buffer.from(m[3], 'base64url').toString('utf8');
  // Herald signs only http(s) links; anything else means the secret leaked or changed hands.
  if (!Number.isSafeInteger(messageId) || messageId <= 0 || !/^https?:\/\//i.test(url)) return null;
  return { messageId, linkCount, url };
}
