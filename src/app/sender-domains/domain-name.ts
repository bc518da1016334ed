// Sender domain names: checked with the same rules as the domain part of an e-mail address
// (src/core/address.ts), stored lower-case and in ASCII (IDNs as xn--…).
import { normalizeEmail } from '../../core/address.ts';
import { invalid } from '../errors.ts';

const SELECTOR = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function normalizeSenderDomain(raw: string, field = 'domain'): string {
  const trimmed = raw.trim().replace(/\.$/, '');
  if (trimmed.includes('@')) throw invalid(field, `"${raw}" is an address; give only the domain after the @`);
  const checked = normalizeEmail(`postmaster@${trimmed}`);
  if (!checked.ok) throw invalid(field, `"${raw}" is not a valid domain name: ${checked.reason.replace(/^the domain /, '')}`);
  return checked.value.slice('postmaster@'.length);
}

/** A DKIM selector is one or more DNS labels ("herald", "s2026.mail"). */
export function normalizeDkimSelector(raw: string, field = 'dkim_selector'): string {
  const value = raw.trim().toLowerCase();
  if (!SELECTOR.test(value) || value.length > 200) {
    throw invalid(field, `"${raw}" is not a valid DKIM selector: use letters, digits, inner hyphens and dots (e.g. "herald" or "s2026")`);
  }
  return value;
}

/** The domain of an address ("Name <a@b.example>" or "a@b.example"), lower-case ASCII, or null. */
export function domainOfAddress(address: string): string | null {
  const bare = /<([^>]*)>/.exec(address)?.[1] ?? address;
  const at = bare.lastIndexOf('@');
  if (at < 0) return null;
  try {
    return normalizeSenderDomain(bare.slice(at + 1));
  } catch {
    return null;
  }
}
