// Per-minute defaults for the large mailbox providers. None of them publishes a fixed rate: Gmail,
// Microsoft and Yahoo throttle by sender reputation and answer 421/4.7.x when a sender goes too
// fast (Gmail's bulk-sender guidelines, Microsoft's "sender support" pages). The numbers below are
// deliberately conservative starting points of the kind MTAs ship in their traffic-shaping samples
// (KumoMTA's shaping.toml, PowerMTA domain blocks: a few hundred messages per minute for the big
// US providers, far less for the German and Russian ones, which defer a new sender early). They
// are overridable per account; "*" is every other domain and is unlimited by default.
export interface DomainThrottle {
  /** Messages per minute to this domain; null = unlimited. */
  per_minute: number | null;
}

export type DomainThrottles = Record<string, DomainThrottle>;

/** The key that stands for every domain without its own entry. */
export const OTHER_DOMAINS = '*';

export const DEFAULT_DOMAIN_THROTTLES: DomainThrottles = {
  'gmail.com': { per_minute: 600 },
  'googlemail.com': { per_minute: 600 },
  'outlook.com': { per_minute: 300 },
  'hotmail.com': { per_minute: 300 },
  'live.com': { per_minute: 300 },
  'yahoo.com': { per_minute: 300 },
  'gmx.de': { per_minute: 150 },
  'gmx.net': { per_minute: 150 },
  'web.de': { per_minute: 150 },
  'mail.ru': { per_minute: 120 },
  'yandex.ru': { per_minute: 120 },
  [OTHER_DOMAINS]: { per_minute: null },
};

/** The per-minute limit for a recipient domain (null = unlimited). */
export function throttleFor(domain: string, throttles: DomainThrottles): number | null {
  const own = throttles[domain.toLowerCase()];
  if (own) return own.per_minute;
  return throttles[OTHER_DOMAINS]?.per_minute ?? null;
}

/** The domain part of an address, lower-cased ("" when there is none, e.g. a phone number). */
export function recipientDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}
