// IP address ranges (CIDR, IPv4 and IPv6) and a set of them answering "is this address inside?".
// Apple publishes ~100k egress ranges; they are merged and sorted once, so a lookup is a binary
// search (a few µs), cheap enough for every open of a flush.

export interface IpAddress {
  v6: boolean;
  value: bigint;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let rest = text;
  // A trailing dotted IPv4 (::ffff:192.0.2.1) stands for the last two groups.
  let tail: bigint | null = null;
  const lastColon = rest.lastIndexOf(':');
  if (rest.includes('.', lastColon)) {
    tail = parseIpv4(rest.slice(lastColon + 1));
    if (tail === null) return null;
    rest = `${rest.slice(0, lastColon + 1)}0:0`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const back = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - back.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  let value = 0n;
  for (const g of [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...back]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (tail !== null) value = (value & ~0xffffffffn) | tail;
  return value;
}

/** An address as Node reports it (IPv4, IPv6, IPv4-mapped IPv6, with or without a zone); null if it is none. */
export function parseIp(text: string): IpAddress | null {
  const s = text.trim().replace(/%.*$/, '');
  if (!s.includes(':')) {
    const v4 = parseIpv4(s);
    return v4 === null ? null : { v6: false, value: v4 };
  }
  const v6 = parseIpv6(s);
  if (v6 === null) return null;
  // ::ffff:a.b.c.d is an IPv4 client of a dual-stack listener.
  if (v6 >> 32n === 0xffffn) return { v6: false, value: v6 & 0xffffffffn };
  return { v6: true, value: v6 };
}

export interface IpRange {
  v6: boolean;
  start: bigint;
  end: bigint;
}

/** "17.0.0.0/8", "2a02:26f7::/32" or a single address; null when it is not one. */
export function parseCidr(text: string): IpRange | null {
  const [addr, bitsText, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const ip = parseIp(addr);
  if (!ip || addr.includes('%')) return null;
  const width = ip.v6 ? 128 : 32;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (bits > width) return null;
  const hostBits = BigInt(width - bits);
  const start = (ip.value >> hostBits) << hostBits;
  return { v6: ip.v6, start, end: start + (1n << hostBits) - 1n };
}

export interface IpRangeSet {
  /** How many merged ranges it holds. */
  readonly size: number;
  has(ip: string): boolean;
}

function merge(ranges: IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: IpRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1n) {
      if (r.end > last.end) last.end = r.end;
    } else out.push({ ...r });
  }
  return out;
}

function contains(ranges: IpRange[], value: bigint): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (value < r.start) hi = mid - 1;
    else if (value > r.end) lo = mid + 1;
    else return true;
  }
  return false;
}

export function createIpRangeSet(ranges: readonly IpRange[]): IpRangeSet {
  const v4 = merge(ranges.filter((r) => !r.v6));
  const v6 = merge(ranges.filter((r) => r.v6));
  return {
    size: v4.length + v6.length,
    has(text) {
      const ip = parseIp(text);
      if (!ip) return false;
      return contains(ip.v6 ? v6 : v4, ip.value);
    },
  };
}

export class IpRangeListError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/**
 * A ranges file: one CIDR per line; `#` starts a comment; blank lines are skipped. Apple's
 * egress-ip-ranges.csv (`cidr,country,region,city,`) is read too: only the first column counts.
 */
export function parseIpRangeList(text: string): IpRangeSet {
  const ranges: IpRange[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const entry = lines[i].replace(/#.*$/, '').split(',')[0].trim();
    if (entry === '') continue;
    const range = parseCidr(entry);
    if (!range) throw new IpRangeListError(i + 1, `"${entry.slice(0, 60)}" is not an IPv4 or IPv6 range like 17.58.0.0/16 or 2a01:b740::/32`);
    ranges.push(range);
  }
  return createIpRangeSet(ranges);
}

export const EMPTY_IP_RANGE_SET: IpRangeSet = createIpRangeSet([]);
