// The pure parts of tracking: link rewriting, IP ranges, person-or-machine verdicts, the campaign
// switch, and the click token that keeps /l/ from being an open redirect.
import { describe, expect, it } from 'vitest';
import { signClickToken, verifyClickToken } from '../src/app/tracking/click-token.ts';
import { classifyInteraction, classifyInteractions, type Interaction } from '../src/core/tracking/classify-interaction.ts';
import { EMPTY_IP_RANGE_SET, parseCidr, parseIp, parseIpRangeList } from '../src/core/tracking/ip-ranges.ts';
import { rewriteForTracking } from '../src/core/tracking/rewrite-links.ts';
import { trackingEnabled } from '../src/core/tracking/tracking-enabled.ts';

const PIXEL = '<img src="https://h.example/o/P.gif" width="1" height="1" alt="" style="display:block;border:0">';
const urls = {
  openUrl: 'https://h.example/o/P.gif',
  clickUrl: (url: string, index: number, count: number) => `https://h.example/l/${index}-${count}?u=${encodeURIComponent(url)}`,
  unsubscribeUrl: 'https://h.example/u/abc.def',
};
const click = (url: string, index: number, count: number) => urls.clickUrl(url, index, count).replaceAll('&', '&amp;');

describe('rewriteForTracking', () => {
  it.each([
    ['a web link', '<body><a href="https://x.example/a">A</a></body>', `<body><a href="${click('https://x.example/a', 0, 1)}">A</a>${PIXEL}</body>`],
    ['http and single quotes', "<a class=b href='http://x.example/'>x</a>", `<a class=b href="${click('http://x.example/', 0, 1)}">x</a>${PIXEL}`],
    ['unquoted href', '<a href=https://x.example/u>x</a>', `<a href="${click('https://x.example/u', 0, 1)}">x</a>${PIXEL}`],
    ['&amp; in the href is decoded before signing', '<a href="https://x.example/?a=1&amp;b=2">x</a>', `<a href="${click('https://x.example/?a=1&b=2', 0, 1)}">x</a>${PIXEL}`],
    ['numeric entities', '<a href="https://x.example/?a=1&#38;b=&#x32;">x</a>', `<a href="${click('https://x.example/?a=1&b=2', 0, 1)}">x</a>${PIXEL}`],
    ['mailto, tel, anchors and relative links stay', '<a href="mailto:a@b.c">m</a><a href="tel:+49">t</a><a href="#top">#</a><a href="/x">r</a>', `<a href="mailto:a@b.c">m</a><a href="tel:+49">t</a><a href="#top">#</a><a href="/x">r</a>${PIXEL}`],
    ['the unsubscribe link stays', '<a href="https://h.example/u/abc.def">Unsubscribe</a>', `<a href="https://h.example/u/abc.def">Unsubscribe</a>${PIXEL}`],
    ['uppercase tags and </BODY>', '<BODY><A HREF="https://x.example/">x</A></BODY >', `<BODY><A HREF="${click('https://x.example/', 0, 1)}">x</A>${PIXEL}</BODY >`],
    ['anchors without href and other tags stay', '<a name="x">n</a><abbr href="https://x.example/">b</abbr><area href="https://x.example/">', `<a name="x">n</a><abbr href="https://x.example/">b</abbr><area href="https://x.example/">${PIXEL}`],
    ['data-href is not the href', '<a data-href="https://y.example/" href="https://x.example/">x</a>', `<a data-href="https://y.example/" href="${click('https://x.example/', 0, 1)}">x</a>${PIXEL}`],
    ['no body: the pixel goes at the end', '<p>hi</p>', `<p>hi</p>${PIXEL}`],
  ])('%s', (_name, html, expected) => {
    expect(rewriteForTracking(html, urls)).toBe(expected);
  });

  it('numbers links in order and counts distinct URLs', () => {
    const seen: Array<[string, number, number]> = [];
    rewriteForTracking('<a href="https://a.example/">1</a><a href="https://b.example/">2</a><a href="https://a.example/">3</a>', {
      ...urls,
      clickUrl: (u, i, n) => {
        seen.push([u, i, n]);
        return u;
      },
    });
    expect(seen).toEqual([
      ['https://a.example/', 0, 2],
      ['https://b.example/', 1, 2],
      ['https://a.example/', 2, 2],
    ]);
  });

  it('rewrites a 10 KB newsletter in well under a millisecond', () => {
    const block = '<p>Spring is here and so is our new collection, <a href="https://shop.example.com/spring?utm_source=n&amp;utm_medium=email">see it</a>. We kept the prices where they were.</p>';
    const html = `<html><body>${block.repeat(Math.ceil(10_000 / block.length))}<a href="${urls.unsubscribeUrl}">Unsubscribe</a></body></html>`;
    for (let i = 0; i < 200; i++) rewriteForTracking(html, urls);
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) rewriteForTracking(html, urls);
    const perMessage = (performance.now() - t0) / n;
    expect(perMessage).toBeLessThan(1);
  });
});

describe('IP ranges', () => {
  it.each([
    ['17.58.1.2', { v6: false, value: (17n << 24n) | (58n << 16n) | (1n << 8n) | 2n }],
    ['::ffff:17.58.1.2', { v6: false, value: (17n << 24n) | (58n << 16n) | (1n << 8n) | 2n }],
    ['2001:db8::1', { v6: true, value: (0x2001n << 112n) | (0xdb8n << 96n) | 1n }],
    ['fe80::1%eth0', { v6: true, value: (0xfe80n << 112n) | 1n }],
    ['::', { v6: true, value: 0n }],
    ['1.2.3', null],
    ['256.1.1.1', null],
    ['1::2::3', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['not an ip', null],
  ])('parseIp(%s)', (text, expected) => {
    expect(parseIp(text)).toEqual(expected);
  });

  it.each(['17.0.0.0/33', '2001:db8::/129', '10.0.0.0/8/1', 'x/8', '10.0.0.0/a'])('rejects %s', (text) => {
    expect(parseCidr(text)).toBeNull();
  });

  it('answers membership for IPv4, IPv6 and IPv4-mapped addresses, and names the bad line', () => {
    const set = parseIpRangeList('# Apple\n17.0.0.0/8\n\n172.224.226.0/27,US,US-CA,Los Angeles,\n2a02:26f7:b3c0:4000::/64 # v6\n198.51.100.7\n');
    expect(set.size).toBe(4);
    expect(set.has('17.255.1.1')).toBe(true);
    expect(set.has('::ffff:17.1.2.3')).toBe(true);
    expect(set.has('18.0.0.1')).toBe(false);
    expect(set.has('172.224.226.31')).toBe(true);
    expect(set.has('172.224.226.32')).toBe(false);
    expect(set.has('2a02:26f7:b3c0:4000:ffff::1')).toBe(true);
    expect(set.has('2a02:26f7:b3c0:4001::1')).toBe(false);
    expect(set.has('198.51.100.7')).toBe(true);
    expect(set.has('198.51.100.8')).toBe(false);
    expect(set.has('garbage')).toBe(false);
    expect(() => parseIpRangeList('17.0.0.0/8\n17.0.0.0/40\n')).toThrow(/line 2/);
  });
});

describe('classifying opens and clicks', () => {
  const proxies = parseIpRangeList('17.0.0.0/8\n2a01:b740::/32\n');
  const SENT = '2026-03-02T10:00:00.000Z';
  const later = '2026-03-02T11:00:00.000Z';
  const browser = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
  const base = { messageId: 1, method: 'GET' as const, ip: '203.0.113.9', userAgent: browser, at: later };

  it.each<[string, Partial<Interaction> & { kind: 'open' | 'click' }, boolean, RegExp]>([
    ['open by a mail client', { kind: 'open' }, false, /mail client/],
    ['open from Apple MPP range', { kind: 'open', ip: '17.58.100.1', userAgent: 'Mozilla/5.0' }, true, /privacy proxy/],
    ['open from an IPv6 proxy range', { kind: 'open', ip: '2a01:b740:a20:3000::1f2' }, true, /privacy proxy/],
    ['open by Gmail image proxy', { kind: 'open', ip: '66.249.84.1', userAgent: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)' }, false, /Gmail/],
    ['open by Yahoo proxy', { kind: 'open', userAgent: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html' }, false, /Yahoo/],
    ['open by Outlook desktop', { kind: 'open', userAgent: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)' }, false, /mail client/],
    ['open without user agent', { kind: 'open', userAgent: '' }, true, /no user agent/],
    ['open HEAD', { kind: 'open', method: 'HEAD' }, true, /HEAD/],
    ['click by a browser an hour later', { kind: 'click', url: 'https://x.example/' }, false, /browser/],
    ['click 3 s after the hand-off', { kind: 'click', at: '2026-03-02T10:00:03.000Z' }, true, /3\.0 s after the hand-off/],
    ['click 11 s after the hand-off', { kind: 'click', at: '2026-03-02T10:00:11.000Z' }, false, /browser/],
    ['click from a proxy range is still human', { kind: 'click', ip: '17.1.1.1' }, false, /browser/],
    ['HEAD click', { kind: 'click', method: 'HEAD' }, true, /HEAD/],
    ['Barracuda', { kind: 'click', userAgent: 'Mozilla/5.0 (compatible; Barracuda Sentinel)' }, true, /Barracuda/],
    ['Proofpoint', { kind: 'click', userAgent: 'Proofpoint URL Defense' }, true, /Proofpoint/],
    ['Mimecast', { kind: 'click', userAgent: 'Mimecast-URL-Protect/1.0' }, true, /Mimecast/],
    ['BingPreview', { kind: 'click', userAgent: 'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b' }, true, /Safe Links/],
    ['Microsoft Office probe on a click', { kind: 'click', userAgent: 'Microsoft Office Existence Discovery' }, true, /Microsoft Office/],
    ['curl', { kind: 'click', userAgent: 'curl/8.5.0' }, true, /HTTP library/],
    ['python-requests', { kind: 'click', userAgent: 'python-requests/2.31' }, true, /HTTP library/],
    ['Go-http-client', { kind: 'click', userAgent: 'Go-http-client/1.1' }, true, /HTTP library/],
    ['a bot', { kind: 'click', userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' }, true, /automated agent/],
  ])('%s', (_name, i, machine, why) => {
    const verdict = classifyInteraction({ ...base, ...i } as Interaction, SENT, proxies);
    expect(verdict.machine).toBe(machine);
    expect(verdict.why).toMatch(why);
  });

  it('a click before the hand-off is on the ledger is a scanner', () => {
    expect(classifyInteraction({ ...base, kind: 'click' }, null, EMPTY_IP_RANGE_SET)).toMatchObject({ machine: true });
  });

  it('every link of a message clicked within seconds: the clicks of that burst are machine, across batches', () => {
    const at = (s: number) => new Date(Date.parse(later) + s * 1000).toISOString();
    const c = (messageId: number, url: string, s: number, linkCount = 3): Interaction => ({ ...base, kind: 'click', messageId, url, linkCount, at: at(s) });
    const batch = [
      c(1, 'https://a/', 0),
      c(1, 'https://b/', 1),
      c(1, 'https://c/', 2),
      c(1, 'https://a/', 60), // a person, later
      c(2, 'https://a/', 0),
      c(2, 'https://b/', 1),
      c(2, 'https://c/', 30), // not within 5 s
      c(3, 'https://b/', 1), // with a/c written by an earlier batch
      c(3, 'https://c/', 2),
      c(4, 'https://a/', 0, 1), // one-link messages are not judged by this rule
      { ...c(5, 'https://a/', 0, 2), userAgent: 'curl/8' }, // keeps its own, more specific reason
      c(5, 'https://b/', 1, 2),
    ];
    const verdicts = classifyInteractions(batch, {
      sentAt: new Map([1, 2, 3, 4, 5].map((id) => [id, SENT])),
      pastClicks: new Map([[3, [{ url: 'https://a/', at: at(-1) }]]]),
      proxyRanges: EMPTY_IP_RANGE_SET,
    });
    expect(verdicts.map((v) => v.machine)).toEqual([true, true, true, false, false, false, false, true, true, false, true, true]);
    expect(verdicts[0].why).toBe('all 3 links of the message clicked within 5 s');
    expect(verdicts[10].why).toMatch(/HTTP library/);
    expect(verdicts[11].why).toBe('all 2 links of the message clicked within 5 s');
  });
});

describe('trackingEnabled', () => {
  it.each([
    ['{}', true],
    ['', true],
    ['{"tracking": true}', true],
    ['{"tracking": false}', false],
    ['{"tracking": "no"}', true],
    ['not json', true],
  ])('%s → %s', (json, on) => {
    expect(trackingEnabled(json)).toBe(on);
  });
});

describe('click tokens', () => {
  const secret = 'test-secret';
  const target = { messageId: 12345, linkCount: 3, url: 'https://shop.example.com/spring?a=1&b=ü' };
  const token = signClickToken(secret, target);

  it('round-trips, is URL-safe and short', () => {
    expect(verifyClickToken(secret, token)).toEqual(target);
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(token.length).toBeLessThan(100);
  });

  it.each([
    ['another secret', (t: string) => t, 'other-secret'],
    ['truncated', (t: string) => t.slice(0, -1), secret],
    ['another target URL', (t: string) => t.replace(/\.[^.]+(\.[^.]+)$/, `.${Buffer.from('https://evil.example/').toString('base64url')}$1`), secret],
    ['another message', (t: string) => `x${t}`, secret],
    ['another link count', (t: string) => t.replace('.3.', '.4.'), secret],
    ['empty', () => '', secret],
    ['an open token', () => 'abc.0123456789012345678901', secret],
  ])('rejects %s', (_name, alter, key) => {
    expect(verifyClickToken(key, alter(token))).toBeNull();
  });

  it('does not sign its way to a non-web URL', () => {
    expect(verifyClickToken(secret, signClickToken(secret, { messageId: 1, linkCount: 1, url: 'javascript:alert(1)' }))).toBeNull();
  });
});
