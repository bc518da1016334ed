// VERP return path: each message's envelope sender names its ledger row, so a bounce that comes
// back (to the envelope sender, RFC 5321 §4.5.5) says which message failed even when the report
// itself quotes nothing of the original. The HMAC stops anyone who can send us mail from forging
// bounces that would suppress (unsubscribe) arbitrary contacts.
//
// Form: bounces+<message id, decimal>-<16 hex digits of HMAC-SHA256>@<bounce domain>. Hex, not
// base64: some MTAs lowercase local parts, and a case-sensitive signature would then never verify.
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'bounces';

function signature(secret: string, messageId: number): string {
  return createHmac('sha256', secret).update(`verp:${messageId}`).digest('hex').slice(0, 16);
}

/** The envelope sender for ledger row `messageId`, e.g. `bounces+42-1f0c…@bounce.example.com`. */
export function verpAddress(secret: string, messageId: number, domain: string): string {
  if (!Number.isSafeInteger(messageId) || messageId <= 0) throw new Error(`a VERP address needs a positive message id, got ${messageId}`);
  return `${PREFIX}+${messageId}-${signature(secret, messageId)}@${domain.toLowerCase()}`;
}

/** The ledger row id a VERP address names, or null when it is not one of ours or its signature is wrong. */
export function parseVerp(secret: string, address: string): number | null {
  const m = /^<?bounces\+(\d{1,15})-([0-9a-f]{16})@[^@\s>]+>?$/i.exec(address.trim());
  if (!m) return null;
  const id = Number(m[1]);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const expected = Buffer.from(signature(secret, id));
  const given = Buffer.from(m[2].toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}
