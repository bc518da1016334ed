// Which URLs an account may register for outgoing webhooks. Herald's worker makes the requests
// from inside the operator's network, so the rule guards against pointing it at internal services:
// - HTTPS only, no credentials in the URL;
// - no IP literal in loopback, private, link-local (cloud metadata 169.254.169.254), CGNAT or
//   unspecified ranges, and no "localhost";
// - except with allowLoopbackHttp (HERALD_WEBHOOKS_ALLOW_HTTP=1, for development and tests):
//   then http:// and https:// to 127.0.0.1, [::1] or localhost are allowed — loopback only.
// Host names that resolve to private addresses are not caught here (no DNS in core).

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; problem: string };

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

function isInternalIpv4(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

function isInternalIpv6(host: string): boolean {
  if (!host.startsWith('[')) return false;
  const h = host.slice(1, -1).toLowerCase();
  return h === '::' || h === '::1' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('::ffff:');
}

export function checkWebhookUrl(raw: string, allowLoopbackHttp: boolean): WebhookUrlCheck {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, problem: `"${raw}" is not a URL` };
  }
  if (u.username || u.password) return { ok: false, problem: 'the URL must not contain a user name or password; authenticate with the Herald-Signature header' };
  const host = u.hostname.toLowerCase();
  const loopback = LOOPBACK.has(host);
  if (loopback && allowLoopbackHttp && (u.protocol === 'http:' || u.protocol === 'https:')) return { ok: true, url: u.toString() };
  if (u.protocol !== 'https:') {
    return { ok: false, problem: 'the URL must start with https:// (http:// only to 127.0.0.1 when the operator sets HERALD_WEBHOOKS_ALLOW_HTTP=1)' };
  }
  if (loopback || host.endsWith('.localhost') || isInternalIpv4(host) || isInternalIpv6(host)) {
    return { ok: false, problem: `${host} is a loopback, private or link-local address; webhooks go to public hosts` };
  }
  return { ok: true, url: u.toString() };
}
