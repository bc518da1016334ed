// The Herald-Signature header of outgoing webhooks, Stripe's scheme: `t=<unix seconds>,v1=<hex
// HMAC-SHA256 of "<t>.<body>">` with the endpoint's secret. The timestamp is signed too, so a
// receiver can refuse old requests replayed by someone who captured one.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Herald-Signature';

export function signWebhookBody(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** For receivers (and tests): whether a header is a good signature of body within `toleranceSeconds` of now. */
export function verifyWebhookSignature(secret: string, header: string, body: string, nowUnixSeconds: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || Math.abs(nowUnixSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, t, body).split('v1=')[1]);
  const given = Buffer.from(v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
