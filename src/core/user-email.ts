// A user's sign-in name: an email address, lower-cased. Looser than a recipient address
// (core/address.ts) on one point: a single-label host is allowed, so the first-start owner
// "admin@localhost" is a valid name. It is a login, not necessarily a mailbox.
import type { Normalized } from './address.ts';

const SIGN_IN_EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

export function normalizeUserEmail(raw: string): Normalized {
  const value = raw.trim().toLowerCase();
  if (value === '') return { ok: false, reason: 'is empty' };
  if (value.length > 254) return { ok: false, reason: 'is longer than 254 characters' };
  if (!value.includes('@')) return { ok: false, reason: 'missing @' };
  if (!SIGN_IN_EMAIL.test(value)) return { ok: false, reason: `is not an email address: "${value}"` };
  return { ok: true, value };
}
