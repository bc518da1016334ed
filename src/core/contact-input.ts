// Checks and normalizes the fields of one contact, as given by the API, the CLI or a CSV row.
// Pure: every problem is returned with the field it concerns, so a caller can report all of
// them at once ("contacts[17].email: missing @") instead of stopping at the first.
import { IANAZone } from 'luxon';
import { type Normalized, normalizeEmail, normalizePhone } from './address.ts';

export type AttributeValue = string | number | boolean | null;

export interface PostalAddress {
  name?: string;
  street: string;
  postal_code: string;
  city: string;
  /** ISO 3166-1 alpha-2, upper case ("DE"). */
  country: string;
}

/**
 * Normalized contact fields. `undefined` = not given; `null` = given as empty. Upserts keep the
 * stored value for both; PATCH clears a field given as null.
 */
export interface ContactFields {
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  timezone?: string | null;
  locale?: string | null;
  /** channel → handle; a null handle removes that channel, a null object removes all (PATCH). */
  messenger?: Record<string, string | null> | null;
  postal_address?: PostalAddress | null;
  /** a null value removes that attribute, a null object removes all (PATCH). */
  attributes?: Record<string, AttributeValue> | null;
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,63}$/i;
const MESSENGER_CHANNEL = /^[a-z][a-z0-9_]{0,31}$/;
const MAX_TEXT = 200;
const MAX_ATTRIBUTE_TEXT = 4000;
const MAX_HANDLE = 256;
const KNOWN_FIELDS = new Set([
  'email',
  'phone',
  'first_name',
  'last_name',
  'timezone',
  'locale',
  'messenger',
  'postal_address',
  'attributes',
]);

// Zone and locale checks construct Intl objects (tens of microseconds); an import sees the same
// few values a million times, so the answers are remembered.
const zoneCache = new Map<string, string | null>();
const localeCache = new Map<string, string | null>();

/** The canonical IANA name of a time zone ("europe/berlin" → "Europe/Berlin"), or null. */
export function canonicalTimeZone(raw: string): string | null {
  let zone = zoneCache.get(raw);
  if (zone === undefined) {
    // Intl also accepts fixed offsets ("+02:00"); they are not zones (no daylight saving time), so
    // quiet hours computed from them would be an hour off half of the year.
    zone = !/^[+-]/.test(raw) && IANAZone.isValidZone(raw) ? new Intl.DateTimeFormat('en-US', { timeZone: raw }).resolvedOptions().timeZone : null;
    if (zoneCache.size < 10_000) zoneCache.set(raw, zone);
  }
  return zone;
}

/** A BCP 47 language tag in canonical case ("de_de" → "de-DE"), or null. */
export function canonicalLocale(raw: string): string | null {
  let locale = localeCache.get(raw);
  if (locale === undefined) {
    try {
      locale = Intl.getCanonicalLocales(raw.replace(/_/g, '-'))[0] ?? null;
    } catch {
      locale = null;
    }
    if (localeCache.size < 10_000) localeCache.set(raw, locale);
  }
  return locale;
}

export type ScalarContactField = 'email' | 'phone' | 'first_name' | 'last_name' | 'timezone' | 'locale';
export const SCALAR_FIELDS: readonly ScalarContactField[] = ['email', 'phone', 'first_name', 'last_name', 'timezone', 'locale'];
const MAX_SCALAR: Record<ScalarContactField, number> = { email: 320, phone: 64, first_name: MAX_TEXT, last_name: MAX_TEXT, timezone: 64, locale: 35 };

/** Normalizes one non-empty, trimmed scalar field; the API and the CSV importer share it. */
export function normalizeContactField(field: ScalarContactField, value: string): Normalized {
  switch (field) {
    case 'email':
      return normalizeEmail(value);
    case 'phone':
      return normalizePhone(value);
    case 'timezone': {
      const zone = canonicalTimeZone(value);
      return zone ? { ok: true, value: zone } : { ok: false, reason: `"${value}" is not an IANA time zone (e.g. Europe/Berlin)` };
    }
    case 'locale': {
      const locale = canonicalLocale(value);
      return locale ? { ok: true, value: locale } : { ok: false, reason: `"${value}" is not a language tag (e.g. de-DE)` };
    }
    default:
      return value.length > MAX_TEXT ? { ok: false, reason: `is longer than ${MAX_TEXT} characters` } : { ok: true, value };
  }
}

/** True when the contact can be reached on at least one channel. */
export function hasAnyAddress(c: {
  email?: string | null;
  phone?: string | null;
  messenger?: Record<string, string | null> | null;
  postal_address?: PostalAddress | null;
}): boolean {
  if (c.email || c.phone || c.postal_address) return true;
  return !!c.messenger && Object.values(c.messenger).some((h) => h !== null && h !== '');
}

export const NO_ADDRESS = 'has no address: a contact needs at least one of email, phone, a messenger handle or a postal address';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(input: Record<string, unknown>, field: string, max: number, problems: FieldProblem[]): string | null | undefined {
  const v = input[field];
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v !== 'string') {
    problems.push({ field, reason: 'must be a string' });
    return undefined;
  }
  const t = v.trim();
  if (t.length > max) {
    problems.push({ field, reason: `is longer than ${max} characters` });
    return undefined;
  }
  return t === '' ? null : t;
}

function checkMessenger(v: unknown, problems: FieldProblem[]): Record<string, string | null> | null | undefined {
  if (v === undefined || v === null) return v;
  if (!isPlainObject(v)) {
    problems.push({ field: 'messenger', reason: 'must be an object of channel → handle, e.g. {"telegram": "@anna"}' });
    return undefined;
  }
  const out: Record<string, string | null> = {};
  for (const [channel, handle] of Object.entries(v)) {
    const field = `messenger.${channel}`;
    if (!MESSENGER_CHANNEL.test(channel)) {
      problems.push({ field, reason: 'a channel name is lower-case letters, digits and _ (starting with a letter)' });
    } else if (handle === null) {
      out[channel] = null;
    } else if (typeof handle !== 'string' || handle.trim() === '') {
      problems.push({ field, reason: 'a handle is a non-empty string (null removes it)' });
    } else if (handle.length > MAX_HANDLE) {
      problems.push({ field, reason: `is longer than ${MAX_HANDLE} characters` });
    } else {
      out[channel] = handle.trim();
    }
  }
  return out;
}

function checkPostalAddress(v: unknown, problems: FieldProblem[]): PostalAddress | null | undefined {
  if (v === undefined || v === null) return v;
  if (!isPlainObject(v)) {
    problems.push({ field: 'postal_address', reason: 'must be an object {name?, street, postal_code, city, country}' });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(v)) {
    if (!['name', 'street', 'postal_code', 'city', 'country'].includes(key)) {
      problems.push({ field: `postal_address.${key}`, reason: 'is not a known field' });
    }
  }
  const part = (key: string, required: boolean): string | undefined => {
    const raw = v[key];
    const field = `postal_address.${key}`;
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (required) problems.push({ field, reason: 'is required' });
      return undefined;
    }
    if (typeof raw !== 'string') {
      problems.push({ field, reason: 'must be a string' });
      return undefined;
    }
    if (raw.length > MAX_TEXT) problems.push({ field, reason: `is longer than ${MAX_TEXT} characters` });
    return raw.trim();
  };
  const name = part('name', false);
  const street = part('street', true);
  const postalCode = part('postal_code', true);
  const city = part('city', true);
  let country = part('country', true);
  if (country !== undefined) {
    country = country.toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) problems.push({ field: 'postal_address.country', reason: 'must be a two-letter ISO 3166 country code, e.g. DE' });
  }
  if (problems.length > before) return undefined;
  return { ...(name ? { name } : {}), street: street!, postal_code: postalCode!, city: city!, country: country! };
}

/** Checks one attribute (key and value); returns a problem reason or null. */
export function attributeProblem(key: string, value: unknown): string | null {
  if (!ATTRIBUTE_KEY.test(key)) return 'an attribute name is letters, digits and _ (starting with a letter, at most 64)';
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'must be a finite number';
  if (typeof value === 'string') return value.length > MAX_ATTRIBUTE_TEXT ? `is longer than ${MAX_ATTRIBUTE_TEXT} characters` : null;
  return 'must be a string, number, boolean or null (attributes are flat)';
}

function checkAttributes(v: unknown, problems: FieldProblem[]): Record<string, AttributeValue> | null | undefined {
  if (v === undefined || v === null) return v;
  if (!isPlainObject(v)) {
    problems.push({ field: 'attributes', reason: 'must be an object of name → value' });
    return undefined;
  }
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(v)) {
    const reason = attributeProblem(key, value);
    if (reason) problems.push({ field: `attributes.${key}`, reason });
    else out[key] = value as AttributeValue;
  }
  return out;
}

/**
 * Checks a contact given as a plain object. With `requireAddress`, a contact that cannot be
 * reached on any channel (no email, phone, messenger handle or postal address) is a problem.
 */
export function checkContactInput(
  input: Record<string, unknown>,
  options: { requireAddress: boolean },
): { fields: ContactFields; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const fields: ContactFields = {};
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key)) problems.push({ field: key, reason: 'is not a known field' });
  }

  for (const field of SCALAR_FIELDS) {
    const v = text(input, field, MAX_SCALAR[field], problems);
    if (v === null) fields[field] = null;
    else if (v !== undefined) {
      const n = normalizeContactField(field, v);
      if (n.ok) fields[field] = n.value;
      else problems.push({ field, reason: n.reason });
    }
  }

  const messenger = checkMessenger(input.messenger, problems);
  if (messenger !== undefined) fields.messenger = messenger;
  const postal = checkPostalAddress(input.postal_address, problems);
  if (postal !== undefined) fields.postal_address = postal;
  const attributes = checkAttributes(input.attributes, problems);
  if (attributes !== undefined) fields.attributes = attributes;

  if (options.requireAddress && problems.length === 0 && !hasAnyAddress(fields)) {
    problems.push({ field: '', reason: NO_ADDRESS });
  }
  return { fields, problems };
}
