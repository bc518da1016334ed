// Maps the header row of a contact CSV to contact fields and attributes. Column names are
// normalized to snake_case ("First Name", "firstName", "E-Mail" → first_name, first_name, e_mail),
// common synonyms are recognized (e_mail → email, mobile → phone), "attributes.x" names an
// attribute explicitly, and every other column becomes an attribute of its snake_case name.
import { ATTRIBUTE_KEY } from '../../core/contact-input.ts';
import { invalid } from '../errors.ts';

export type ContactColumn = 'email' | 'phone' | 'first_name' | 'last_name' | 'timezone' | 'locale';

export interface CsvColumn {
  /** As written in the header. */
  header: string;
  /** The contact field, or null for an attribute. */
  field: ContactColumn | null;
  /** The attribute name (for attributes) or the field name: how errors name the column. */
  name: string;
}

const SYNONYMS: Record<string, ContactColumn> = {
  email: 'email',
  e_mail: 'email',
  email_address: 'email',
  e_mail_address: 'email',
  mail: 'email',
  phone: 'phone',
  phone_number: 'phone',
  mobile: 'phone',
  mobile_phone: 'phone',
  mobile_number: 'phone',
  cell_phone: 'phone',
  telephone: 'phone',
  first_name: 'first_name',
  firstname: 'first_name',
  given_name: 'first_name',
  vorname: 'first_name',
  last_name: 'last_name',
  lastname: 'last_name',
  surname: 'last_name',
  family_name: 'last_name',
  nachname: 'last_name',
  timezone: 'timezone',
  time_zone: 'timezone',
  tz: 'timezone',
  locale: 'locale',
  language: 'locale',
};

const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

export function toSnakeCase(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => TRANSLITERATION[c])
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const EXAMPLE = 'the first line must be a header naming the columns, e.g. email,first_name,last_name';

export function mapCsvHeader(header: readonly string[]): CsvColumn[] {
  const columns: CsvColumn[] = [];
  const byName = new Map<string, number>();
  for (let i = 0; i < header.length; i++) {
    const raw = header[i];
    const where = `header column ${i + 1}`;
    if (raw.includes('\uFFFD')) throw invalid(where, `"${raw}" is not valid UTF-8 (the file is not UTF-8 encoded?)`);
    const explicitAttribute = /^\s*attributes\./i.test(raw);
    const snake = toSnakeCase(explicitAttribute ? raw.replace(/^\s*attributes\./i, '') : raw);
    if (snake === '') throw invalid(where, `column ${i + 1} has no name; ${EXAMPLE}`);
    const field = explicitAttribute ? null : (SYNONYMS[snake] ?? null);
    const name = field ?? snake;
    if (field === null && !ATTRIBUTE_KEY.test(name)) {
      throw invalid(where, `"${raw}" cannot be an attribute name: it must start with a letter and have at most 64 letters, digits or _`);
    }
    // Fields and attributes are separate namespaces: an "attributes.email" column may sit next to "email".
    const key = field ? `field:${field}` : `attribute:${name}`;
    const earlier = byName.get(key);
    if (earlier !== undefined) {
      throw invalid(where, `columns ${earlier + 1} ("${header[earlier]}") and ${i + 1} ("${raw}") both mean ${field ?? `the attribute ${name}`}`);
    }
    byName.set(key, i);
    columns.push({ header: raw, field, name });
  }
  if (!columns.some((c) => c.field === 'email' || c.field === 'phone')) {
    const found = header.map((h) => `"${h}"`).join(', ');
    throw invalid('header', `the header has no email or phone column (found ${found}); ${EXAMPLE}`);
  }
  return columns;
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The field delimiter of a CSV file, judged by its header line: the most frequent of comma,
 * semicolon and tab outside quotes (a tie or none means comma). Spreadsheets in German locales
 * write semicolons, so guessing is friendlier than refusing.
 */
export function sniffDelimiter(head: string): ',' | ';' | '\t' {
  const counts = [0, 0, 0];
  let quoted = false;
  for (let i = 0; i < head.length; i++) {
    const ch = head[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted) {
      const d = DELIMITERS.indexOf(ch as (typeof DELIMITERS)[number]);
      if (d >= 0) counts[d]++;
    }
  }
  let best = 0;
  for (let d = 1; d < DELIMITERS.length; d++) if (counts[d] > counts[best]) best = d;
  return DELIMITERS[best];
}
