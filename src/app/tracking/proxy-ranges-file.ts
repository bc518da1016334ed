// The operator's list of mail privacy proxy egress ranges (HERALD_PROXY_RANGES_FILE), read once
// at start-up. A broken line stops the start with its line number instead of silently counting
// every proxy open as human. See examples/proxy-ranges.txt for the format and where to get Apple's list.
import fs from 'node:fs';
import { EMPTY_IP_RANGE_SET, IpRangeListError, type IpRangeSet, parseIpRangeList } from '../../core/tracking/ip-ranges.ts';

export function loadProxyRanges(file: string | null | undefined): IpRangeSet {
  if (!file) return EMPTY_IP_RANGE_SET;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`HERALD_PROXY_RANGES_FILE: cannot read ${file} (${(err as Error).message})`);
  }
  try {
    return parseIpRangeList(text);
  } catch (err) {
    if (err instanceof IpRangeListError) throw new Error(`HERALD_PROXY_RANGES_FILE ${file} ${err.message}`);
    throw err;
  }
}
