// Channel addresses: e-mail (practical RFC 5321 syntax) and phone numbers (E.164). Pure: the
// importer calls these for every row, so the common case is one regular expression and the
// detailed checks run only to explain a rejection.

export type Normalized = { ok: true; value: string } | { ok: false; reason: string };

const MAX_LOCAL_PART = 64;
const MAX_ADDRESS = 254;
const MAX_LABEL = 63;

// The fast path: a lowercase dot-atom local part, LDH labels, a letter TLD or an IDN "xn--" TLD.
// Lengths are checked separately.
const PLAIN_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)$/;
const ATOM_CHAR = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,}|xn--[a-z0-9-]+)$/;
const ASCII = /^[\x20-\x7e]*$/;

/** Trims, lowercases and checks an e-mail address; the reason names what is wrong. */
export function normalizeEmail(raw: string): Normalized {
  let value = raw.trim().toLowerCase();
  if (PLAIN_EMAIL.test(value)) {
    const at = value.indexOf('@');
    // A domain of at most 63 characters cannot hold an over-long label; longer ones take the slow path.
    if (at <= MAX_LOCAL_PART && value.length - at - 1 <= MAX_LABEL && value.length <= MAX_ADDRESS) return { ok: true, value };
  }
  if (value === '') return { ok: false, reason: 'is empty' };
  const at = value.lastIndexOf('@');
  if (at < 0) return { ok: false, reason: 'missing @' };
  if (value.indexOf('@') !== at) return { ok: false, reason: 'has more than one @' };
  const local = value.slice(0, at);
  let domain = value.slice(at + 1);
  if (local === '') return { ok: false, reason: 'nothing before the @' };
  if (domain === '') return { ok: false, reason: 'nothing after the @' };
  if (/\s/.test(value)) return { ok: false, reason: 'contains a space' };
  if (!ASCII.test(local)) return { ok: false, reason: 'the part before the @ has non-ASCII characters (internationalized mailboxes are not supported)' };
  if (local.length > MAX_LOCAL_PART) return { ok: false, reason: `the part before the @ is longer than ${MAX_LOCAL_PART} characters` };
  if (local.startsWith('.') || local.endsWith('.')) return { ok: false, reason: 'the part before the @ starts or ends with a dot' };
  if (local.includes('..')) return { ok: false, reason: 'the part before the @ has two dots in a row' };
  for (const ch of local) {
    if (ch !== '.' && !ATOM_CHAR.test(ch)) return { ok: false, reason: `the part before the @ has the character "${ch}", which is not allowed` };
  }
  if (domain.startsWith('[')) return { ok: false, reason: 'IP address literals are not accepted as domains' };
  if (!ASCII.test(domain)) {
    // An internationalized domain (müller.de) is stored in its ASCII form (xn--mller-kva.de);
    // the URL parser is the standard's own IDNA mapping, available without imports.
    const ascii = toAsciiDomain(domain);
    if (ascii === null) return { ok: false, reason: `the domain "${domain}" is not a valid internationalized domain name` };
    domain = ascii;
    value = `${local}@${domain}`;
  }
  if (!domain.includes('.')) return { ok: false, reason: 'domain has no dot' };
  const labels = domain.split('.');
  for (const label of labels) {
    if (label === '') return { ok: false, reason: 'the domain has an empty label (two dots in a row, or a dot at the start or end)' };
    if (label.length > MAX_LABEL) return { ok: false, reason: `the domain label "${label.slice(0, 20)}…" is longer than ${MAX_LABEL} characters` };
    if (!LABEL.test(label)) {
      return { ok: false, reason: `the domain label "${label}" may hold only letters, digits and inner hyphens` };
    }
  }
  const tld = labels[labels.length - 1];
  if (!TLD.test(tld)) return { ok: false, reason: `the top-level domain "${tld}" is not valid (two or more letters)` };
  if (value.length > MAX_ADDRESS) return { ok: false, reason: `is longer than ${MAX_ADDRESS} characters` };
  return { ok: true, value };
}

function toAsciiDomain(domain: string): string | null {
  try {
    const host = new URL(`http://${domain}/`).hostname;
    return host === '' || host.includes('%') ? null : host;
  } catch {
    return null;
  }
}

// Special-use top-level domains that can never receive mail (RFC 2606, RFC 6761, RFC 6762 for
// .local, RFC 7686 for .onion). example.com/.net/.org stay deliverable on purpose: documentation
// and tests use them, and they do have MX-less A records; the SMTP result will tell.
const RESERVED_TLDS = new Set(['invalid', 'test', 'localhost', 'example', 'local', 'onion']);

/** Why an address can never be delivered to, or null. The ledger marks these `invalid_address`. */
export function emailAddressProblem(email: string): null | 'syntax' | 'reserved_domain' {
  const n = normalizeEmail(email);
  if (!n.ok) return 'syntax';
  const tld = n.value.slice(n.value.lastIndexOf('.') + 1);
  return RESERVED_TLDS.has(tld) ? 'reserved_domain' : null;
}

const PHONE_SEPARATORS = /[\s.\-()/]/g;
const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * Normalizes a phone number to E.164 ("+4915112345678"): spaces, dots, dashes, slashes and
 * parentheses are dropped and a leading "00" becomes "+". National numbers ("0151…") are refused
 * rather than guessed: the country is not known here.
 */
export function normalizePhone(raw: string): Normalized {
  let value = raw.trim().replace(PHONE_SEPARATORS, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (E164.test(value)) return { ok: true, value };
  if (value === '') return { ok: false, reason: 'is empty' };
  if (/[a-z]/i.test(value)) return { ok: false, reason: 'contains letters' };
  if (!value.startsWith('+')) {
    return { ok: false, reason: 'has no country code: write it as +<country code><number>, e.g. +4915112345678' };
  }
  const digits = value.slice(1);
  if (!/^\d+$/.test(digits)) return { ok: false, reason: 'may contain only digits after the +' };
  if (digits.startsWith('0')) return { ok: false, reason: 'the country code cannot start with 0' };
  if (digits.length < 8) return { ok: false, reason: `is too short: ${digits.length} digits, E.164 numbers have 8 to 15` };
  return { ok: false, reason: `is too long: ${digits.length} digits, E.164 numbers have at most 15` };
}
