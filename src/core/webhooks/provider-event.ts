// What a provider's webhook says, in Herald's words: one entry per recipient and event, before it
// is matched to the ledger. Parsers (one file per provider) turn a payload into these or name the
// problem with it; they never throw on bad input.
import type { HeraldReference } from './herald-reference.ts';
import type { ProviderBounceClass } from './provider-bounce-class.ts';

export const PROVIDERS = ['sendgrid', 'mailgun', 'postmark', 'ses'] as const;
export type Provider = (typeof PROVIDERS)[number];

export type ProviderEventType = 'delivered' | 'deferred' | 'failed' | 'bounced' | 'complained' | 'opened' | 'clicked' | 'unsubscribed' | 'auto_reply';

export interface ProviderEvent {
  type: ProviderEventType;
  /** The recipient, as the provider reports it. */
  address: string | null;
  occurredAt: string;
  reference: HeraldReference | null;
  /** Bounces only. */
  bounceClass?: ProviderBounceClass;
  /** Opens and clicks: whether the provider says a machine made it; null when it does not say. */
  machine?: boolean | null;
  /** Provider details kept on the event: provider event id, status, diagnostic, url … */
  data: Record<string, unknown>;
}

export type ParsedPayload = { ok: true; events: ProviderEvent[]; ignored: string[] } | { ok: false; problem: string };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** An ISO time from a provider's timestamp (unix seconds, possibly fractional, or an ISO string); null if unreadable. */
export function isoFrom(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value * 1000;
  else if (typeof value === 'string' && /^\d{9,11}(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) ms = Date.parse(value);
  else return null;
  if (!Number.isFinite(ms)) return null;
  return new Date(ms).toISOString();
}
