// The checks on what an account registers: a URL Herald may call (see core/webhooks/webhook-url.ts)
// and event types Herald records.
import { randomBytes } from 'node:crypto';
import { checkWebhookUrl } from '../../core/webhooks/webhook-url.ts';
import { EVENT_TYPES } from '../../store/schema-events.ts';
import type { AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { webhookConfigOf } from './webhook-config.ts';

export const MAX_DESCRIPTION = 500;

export function checkEndpointUrl(deps: AppDeps, url: string): string {
  const c = checkWebhookUrl(url, webhookConfigOf(deps).allowLoopbackHttp);
  if (!c.ok) throw invalid('url', c.problem);
  return c.url;
}

export function checkEndpointEvents(events: readonly string[]): string[] {
  if (events.length === 0) throw invalid('events', `name at least one event type: ${EVENT_TYPES.join(', ')}`);
  for (const [i, e] of events.entries()) {
    if (!(EVENT_TYPES as readonly string[]).includes(e)) throw invalid(`events[${i}]`, `"${e}" is not an event type; use ${EVENT_TYPES.join(', ')}`);
  }
  return [...new Set(events)];
}

export function checkDescription(d: string | null | undefined): string | null {
  if (d === undefined || d === null || d.trim() === '') return null;
  if (d.length > MAX_DESCRIPTION) throw invalid('description', `at most ${MAX_DESCRIPTION} characters`);
  return d.trim();
}

/** 32 random bytes: the HMAC key of the Herald-Signature header. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;
