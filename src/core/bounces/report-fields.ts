// Small readers shared by the report parsers: RFC 822-style field blocks (the machine-readable
// parts of DSNs and ARF reports, and quoted headers of the original message) and addresses.

export type FieldBlock = Map<string, string>;

/** Unfolds continuation lines (those starting with white space) into the line above. */
export function unfold(text: string): string[] {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^[ \t]/.test(line) && out.length > 0 && out[out.length - 1].trim() !== '') out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

const FIELD_LINE = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s?(.*)$/;

/** Field blocks separated by blank lines; names lowercased; a repeated name keeps its first value. */
export function readFieldBlocks(text: string): FieldBlock[] {
  const blocks: FieldBlock[] = [];
  let current: FieldBlock = new Map();
  for (const line of unfold(text)) {
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
      continue;
    }
    const m = FIELD_LINE.exec(line);
    if (!m) continue;
    const name = m[1].toLowerCase();
    if (!current.has(name)) current.set(name, m[2].trim());
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

/** The header section of a message (up to the first blank line), as one field block. */
export function readHeaderSection(text: string): FieldBlock {
  const end = text.search(/\r?\n\r?\n/);
  return readFieldBlocks(end >= 0 ? text.slice(0, end) : text)[0] ?? new Map();
}

const ADDRESS = /[A-Za-z0-9._%+'=/!#$&*?^`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/;

/** "rfc822; <a@b.example>" or "Name <a@b.example>" → "a@b.example"; null when there is no address. */
export function addressIn(value: string | undefined | null): string | null {
  if (!value) return null;
  const stripped = value.replace(/^\s*[A-Za-z0-9-]+\s*;/, '');
  const m = ADDRESS.exec(stripped);
  return m ? m[0].replace(/^[.'`]+|[.'`]+$/g, '').toLowerCase() : null;
}

/** Every address in a text with its position, skipping ones inside URLs and Message-IDs. */
export function addressesIn(text: string): Array<{ address: string; index: number }> {
  const out: Array<{ address: string; index: number }> = [];
  const re = new RegExp(ADDRESS.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 1), m.index);
    if (before === '=' || before === '/' || before === '%') continue;
    out.push({ address: m[0].replace(/^[.'`]+|[.'`]+$/g, '').toLowerCase(), index: m.index });
  }
  return out;
}

/** A Message-ID without angle brackets, or null. */
export function messageIdIn(value: string | undefined | null): string | null {
  if (!value) return null;
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(value) ?? /([^<>\s]+@[^<>\s]+)/.exec(value);
  return m ? m[1] : null;
}

const ENHANCED = /(?<![\w.])([245]\.\d{1,3}\.\d{1,3})(?![\w]|\.\d)/;
const BASIC = /(?<![\w.:/+-])([45][0-5]\d)(?![\d.])(?=[ -]|$)/m;

/** The first RFC 3463 enhanced code and the first SMTP reply code (4xx/5xx) in a text. */
export function codesIn(text: string): { enhanced: string | null; code: number | null } {
  const e = ENHANCED.exec(text);
  const b = BASIC.exec(text);
  return { enhanced: e ? e[1] : null, code: b ? Number(b[1]) : null };
}
