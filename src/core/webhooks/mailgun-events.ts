// Mailgun webhooks: one JSON object {signature: {timestamp, token, signature}, "event-data": {…}}
// per request. The signature is the hex HMAC-SHA256 of `<timestamp><token>` with the domain's
// webhook signing key. Herald's reference: message.headers["message-id"] or
// user-variables.herald_message_id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { firstHeraldReference } from './herald-reference.ts';
import { classifyProviderBounce } from './provider-bounce-class.ts';
import { isObject, isoFrom, type ParsedPayload, type ProviderEvent, str } from './provider-event.ts';

/** Requests older than this are refused (Mailgun's advice: a few minutes). */
export const MAILGUN_MAX_AGE_SECONDS = 5 * 60;

export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

export function readMailgunSignature(body: unknown): MailgunSignature | null {
  if (!isObject(body) || !isObject(body.signature)) return null;
  const s = body.signature;
  const timestamp = typeof s.timestamp === 'number' ? String(s.timestamp) : str(s.timestamp);
  const token = str(s.token);
  const signature = str(s.signature);
  return timestamp && token && signature ? { timestamp, token, signature } : null;
}

export function verifyMailgunSignature(signingKey: string, s: MailgunSignature): boolean {
  const expected = Buffer.from(createHmac('sha256', signingKey).update(s.timestamp + s.token).digest('hex'));
  const given = Buffer.from(s.signature.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Why a signature's timestamp is refused at `nowMs`, or null when it is fresh. */
export function mailgunTimestampProblem(s: MailgunSignature, nowMs: number): string | null {
  const t = Number(s.timestamp);
  if (!Number.isFinite(t)) return 'signature.timestamp is not a number';
  const age = nowMs / 1000 - t;
  if (age > MAILGUN_MAX_AGE_SECONDS) return `signature.timestamp is ${Math.round(age)} s old (at most ${MAILGUN_MAX_AGE_SECONDS} s)`;
  if (age < -MAILGUN_MAX_AGE_SECONDS) return 'signature.timestamp is in the future';
  return null;
}

export function parseMailgunEvent(body: unknown): ParsedPayload {
  if (!isObject(body) || !isObject(body['event-data'])) return { ok: false, problem: 'a Mailgun webhook body is a JSON object with "event-data"' };
  const e = body['event-data'];
  const name = str(e.event);
  if (!name) return { ok: false, problem: 'event-data.event is missing' };
  const occurredAt = isoFrom(e.timestamp);
  if (!occurredAt) return { ok: false, problem: 'event-data.timestamp is missing or unreadable' };
  const message = isObject(e.message) ? e.message : {};
  const headers = isObject(message.headers) ? message.headers : {};
  const variables = isObject(e['user-variables']) ? e['user-variables'] : {};
  const base = {
    address: str(e.recipient),
    occurredAt,
    reference: firstHeraldReference([variables.herald_message_id, headers['message-id']]),
  };
  const data: Record<string, unknown> = { source: 'webhook:mailgun', provider_event: name, provider_event_id: str(e.id), provider_message_id: str(headers['message-id']) };
  const status = isObject(e['delivery-status']) ? e['delivery-status'] : {};
  const events: ProviderEvent[] = [];
  switch (name) {
    case 'delivered':
      events.push({ ...base, type: 'delivered', data: { ...data, response: str(status.message) } });
      break;
    case 'failed': {
      const diagnostic = str(status.message) ?? str(status.description);
      if (e.severity === 'temporary') {
        events.push({ ...base, type: 'deferred', data: { ...data, status: status.code ?? null, diagnostic, reason: str(e.reason) } });
        break;
      }
      // "suppress-bounce": Mailgun did not send because the address bounced before.
      const c =
        e.reason === 'suppress-bounce'
          ? { bounceClass: 'hard' as const, reason: 'Mailgun suppressed the address after an earlier hard bounce' }
          : classifyProviderBounce({ permanent: e.severity === 'permanent' ? true : null, status: str(status['enhanced-code']) ?? (typeof status.code === 'number' ? status.code : null), diagnostic });
      events.push({
        ...base,
        type: 'bounced',
        bounceClass: c.bounceClass,
        data: { ...data, bounce_class: c.bounceClass, why: c.reason, status: status.code ?? null, diagnostic, reason: str(e.reason) },
      });
      break;
    }
    case 'complained':
      events.push({ ...base, type: 'complained', data });
      break;
    case 'opened':
    case 'clicked': {
      const client = isObject(e['client-info']) ? e['client-info'] : {};
      // Mailgun names the bot (e.g. "apple", "gmail") in client-info.bot when it recognises one.
      const bot = str(client.bot);
      events.push({
        ...base,
        type: name,
        machine: bot !== null,
        data: { ...data, url: str(e.url), user_agent: str(client['user-agent']), ip: str(e.ip), bot },
      });
      break;
    }
    case 'unsubscribed':
      events.push({ ...base, type: 'unsubscribed', data });
      break;
    default:
      return { ok: true, events: [], ignored: [name] };
  }
  return { ok: true, events, ignored: [] };
}
