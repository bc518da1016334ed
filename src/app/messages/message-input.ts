// What a caller may send as a one-off message (POST /api/v1/messages, `herald messages send`),
// and the fingerprint of a request that makes an idempotency key's replay recognisable.
import { createHash } from 'node:crypto';

export type ContactRef = { id: number } | { email: string } | { phone: string };

export interface MessageContent {
  subject: string;
  html?: string;
  mjml?: string;
  /** Plain text only: sent as a minimal HTML part (the plain-text part is always made from the HTML). */
  text?: string;
}

export interface SendMessageInput {
  contact: ContactRef;
  /** With contact.email: create the contact when the account does not have it yet. */
  create_contact?: boolean;
  template_id?: number;
  content?: MessageContent;
  from_email?: string;
  from_name?: string;
  reply_to?: string;
  /** Passes marketing suppressions (unsubscribes, complaints) and quiet hours; never a hard bounce or the blocklist. */
  transactional?: boolean;
  /** What the template sees as {{ data.* }}. */
  data?: Record<string, unknown>;
  idempotency_key?: string;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** sha256 over the request as sent, keys sorted, without the idempotency key itself. */
export function requestHash(input: SendMessageInput): string {
  const { idempotency_key: _k, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(canonical(rest))).digest('hex');
}

/** Plain text as the HTML part: escaped outside Liquid tags, lines kept. */
export function textAsHtml(text: string): string {
  const escaped = text
    .split(/(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('');
  return `<html><body><div style="white-space:pre-wrap">${escaped}</div></body></html>`;
}
