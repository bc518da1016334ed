// Was an open or a click made by a person or by a machine? Each verdict carries its reason, so a
// campaign's "human opens" can be explained line by line. Decided when a buffer of requests is
// written (not on the request path), with the message's hand-off time from the ledger.
//
// Decisions:
// - Opens from a privacy proxy's egress ranges (Apple Mail Privacy Protection and the like, loaded
//   by the operator) are machine: MPP fetches every image when the message arrives, opened or not.
//   Apple's proxy sends a bare "Mozilla/5.0", so the address is the only reliable sign.
// - Gmail's image proxy (GoogleImageProxy) and Yahoo's (YahooMailProxy) fetch the pixel when the
//   person opens the message, so they count as human opens; they hide the reader's own address.
// - The ranges apply to opens only: Apple's iCloud Private Relay shares provider ranges with real
//   people's browsing, and MPP never follows links.
// - Clicks by security scanners: known scanner and HTTP-library user agents, HEAD requests, clicks
//   within QUICK_CLICK_SECONDS of the hand-off (no person reads and clicks that fast; scanners at
//   the receiving server do), and every link of a message clicked within EVERY_LINK_SECONDS.
// - "Microsoft Office" is a link-preview / existence-discovery probe when it clicks, but the
//   Outlook desktop client itself when it loads images, so it is machine for clicks only.

import type { IpRangeSet } from './ip-ranges.ts';

export const QUICK_CLICK_SECONDS = 10;
export const EVERY_LINK_SECONDS = 5;

export interface Interaction {
  kind: 'open' | 'click';
  messageId: number;
  method: 'GET' | 'HEAD';
  ip: string;
  userAgent: string;
  /** ISO time the request arrived. */
  at: string;
  /** Clicks: the link's target and the number of distinct tracked links in the message. */
  url?: string;
  linkCount?: number;
}

export interface Verdict {
  machine: boolean;
  why: string;
}

/** An earlier click of the same message (already written). */
export interface PastClick {
  url: string;
  at: string;
}

export interface ClassifyContext {
  /** messages.sent_at per message id; null while the hand-off is not yet on the ledger. */
  sentAt: ReadonlyMap<number, string | null>;
  /** Clicks already written for messages of this batch, from EVERY_LINK_SECONDS before it. */
  pastClicks: ReadonlyMap<number, readonly PastClick[]>;
  proxyRanges: IpRangeSet;
}

const HUMAN_IMAGE_PROXIES: Array<[RegExp, string]> = [
  [/GoogleImageProxy/i, 'Gmail image proxy: it fetches the pixel when the person opens the message'],
  [/YahooMailProxy/i, 'Yahoo Mail image proxy: it fetches the pixel when the person opens the message'],
];

const SCANNERS: Array<[RegExp, string]> = [
  [/barracuda/i, 'Barracuda link scanner'],
  [/proofpoint/i, 'Proofpoint URL Defense scanner'],
  [/mimecast/i, 'Mimecast URL Protect scanner'],
  [/BingPreview/i, 'Microsoft Safe Links / BingPreview scanner'],
  [/safelinks/i, 'Microsoft Safe Links scanner'],
  [/(symantec|messagelabs|trend ?micro|forcepoint|ironport|sophos|fortiguard|cisco)/i, 'mail security gateway scanner'],
  [/(curl|wget|python-requests|python-urllib|aiohttp|go-http-client|okhttp|java\/|libwww-perl|axios|node-fetch|undici|httpclient)/i, 'HTTP library, not a mail client or browser'],
  [/(headlesschrome|phantomjs|bot\b|spider|crawl|slurp|facebookexternalhit|preview|linkcheck|scanner)/i, 'automated agent (bot, crawler or link preview)'],
];

const OFFICE_PROBE = /Microsoft Office/i;

function userAgentVerdict(kind: Interaction['kind'], ua: string): Verdict | null {
  if (ua.trim() === '') return { machine: true, why: 'no user agent: mail clients and browsers always send one' };
  for (const [re, why] of HUMAN_IMAGE_PROXIES) if (kind === 'open' && re.test(ua)) return { machine: false, why };
  for (const [re, why] of SCANNERS) if (re.test(ua)) return { machine: true, why: `user agent: ${why}` };
  if (kind === 'click' && OFFICE_PROBE.test(ua)) return { machine: true, why: 'user agent: Microsoft Office link preview or existence probe' };
  return null;
}

/** The verdict on one request, without the rules that need the other clicks of the message. */
export function classifyInteraction(i: Interaction, sentAt: string | null | undefined, proxyRanges: IpRangeSet): Verdict {
  if (i.method === 'HEAD') return { machine: true, why: 'HEAD request: scanners check links without fetching them' };
  const byAgent = userAgentVerdict(i.kind, i.userAgent);
  if (byAgent?.machine) return byAgent;
  if (i.kind === 'open') {
    if (proxyRanges.has(i.ip)) return { machine: true, why: 'privacy proxy address (e.g. Apple Mail Privacy Protection prefetch)' };
    return byAgent ?? { machine: false, why: 'mail client' };
  }
  if (!sentAt) return { machine: true, why: 'clicked before the hand-off was recorded: a scanner at the receiving server' };
  const seconds = (Date.parse(i.at) - Date.parse(sentAt)) / 1000;
  if (seconds < QUICK_CLICK_SECONDS) return { machine: true, why: `clicked ${Math.max(0, seconds).toFixed(1)} s after the hand-off (under ${QUICK_CLICK_SECONDS} s)` };
  return { machine: false, why: 'browser' };
}

/**
 * Verdicts for a batch, in its order. On top of the per-request rules: when the clicks of one
 * message inside EVERY_LINK_SECONDS (this batch and the ones already written) cover every
 * tracked link of a message with two or more, the batch's clicks in that window are machine.
 */
export function classifyInteractions(batch: readonly Interaction[], ctx: ClassifyContext): Verdict[] {
  const verdicts = batch.map((i) => classifyInteraction(i, ctx.sentAt.get(i.messageId), ctx.proxyRanges));
  const clicksByMessage = new Map<number, number[]>();
  batch.forEach((i, n) => {
    if (i.kind !== 'click' || !i.url || (i.linkCount ?? 0) < 2) return;
    const list = clicksByMessage.get(i.messageId) ?? [];
    list.push(n);
    clicksByMessage.set(i.messageId, list);
  });
  for (const [messageId, indexes] of clicksByMessage) {
    const linkCount = batch[indexes[0]].linkCount!;
    const all = [
      ...(ctx.pastClicks.get(messageId) ?? []).map((c) => ({ url: c.url, t: Date.parse(c.at), n: -1 })),
      ...indexes.map((n) => ({ url: batch[n].url!, t: Date.parse(batch[n].at), n })),
    ].sort((a, b) => a.t - b.t);
    // A sliding window over the message's clicks: any window of EVERY_LINK_SECONDS holding every link.
    let from = 0;
    const flagged = new Set<number>();
    const counts = new Map<string, number>();
    for (let to = 0; to < all.length; to++) {
      counts.set(all[to].url, (counts.get(all[to].url) ?? 0) + 1);
      while (all[to].t - all[from].t > EVERY_LINK_SECONDS * 1000) {
        const c = counts.get(all[from].url)! - 1;
        if (c === 0) counts.delete(all[from].url);
        else counts.set(all[from].url, c);
        from++;
      }
      if (counts.size >= linkCount) for (let k = from; k <= to; k++) if (all[k].n >= 0) flagged.add(all[k].n);
    }
    // A request already judged a machine keeps its own, more specific reason.
    for (const n of flagged) {
      if (!verdicts[n].machine) verdicts[n] = { machine: true, why: `all ${linkCount} links of the message clicked within ${EVERY_LINK_SECONDS} s` };
    }
  }
  return verdicts;
}
