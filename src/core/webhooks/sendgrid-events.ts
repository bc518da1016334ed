// SendGrid Event Webhook: a JSON array of events, signed with ECDSA P-256 over
// `<X-Twilio-Email-Event-Webhook-Timestamp><raw body>` (signature in
// X-Twilio-Email-Event-Webhook-Signature, base64 DER; the public key from Mail Settings is base64
// SubjectPublicKeyInfo DER). Herald's reference: `smtp-id` or the custom arg `herald_message_id`.
import { createPublicKey, verify } from 'node:crypto';
import { firstHeraldReference } from './herald-reference.ts';
import { classifyProviderBounce } from './provider-bounce-class.ts';
import { isObject, isoFrom, type ParsedPayload, type ProviderEvent, str } from './provider-event.ts';

/** Whether a configured key reads as a SendGrid verification key (PEM or base64 DER). */
export function readSendGridPublicKey(key: string): ReturnType<typeof createPublicKey> | null {
  try {
    const trimmed = key.trim();
    if (trimmed.includes('BEGIN PUBLIC KEY')) return createPublicKey(trimmed);
    return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

export function verifySendGridSignature(publicKey: string, rawBody: string, signature: string, timestamp: string): boolean {
  const key = readSendGridPublicKey(publicKey);
  if (key?.asymmetricKeyType !== 'ec') return false;
  try {
    return verify('sha256', Buffer.from(timestamp + rawBody, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function parseSendGridEvents(body: unknown): ParsedPayload {
  if (!Array.isArray(body)) return { ok: false, problem: 'a SendGrid Event Webhook body is a JSON array of events' };
  const events: ProviderEvent[] = [];
  const ignored: string[] = [];
  for (const [i, e] of body.entries()) {
    if (!isObject(e) || typeof e.event !== 'string') return { ok: false, problem: `event [${i}] has no "event" field` };
    const occurredAt = isoFrom(e.timestamp);
    if (!occurredAt) return { ok: false, problem: `event [${i}] (${e.event}) has no readable "timestamp"` };
    const base = {
      address: str(e.email),
      occurredAt,
      reference: firstHeraldReference([e.herald_message_id, e['smtp-id']]),
    };
    const data: Record<string, unknown> = { source: 'webhook:sendgrid', provider_event: e.event, provider_event_id: str(e.sg_event_id), provider_message_id: str(e.sg_message_id) };
    switch (e.event) {
      case 'delivered':
        events.push({ ...base, type: 'delivered', data: { ...data, response: str(e.response) } });
        break;
      case 'deferred':
        events.push({ ...base, type: 'deferred', data: { ...data, response: str(e.response), attempt: e.attempt ?? null } });
        break;
      case 'bounce': {
        // type "bounce" is a permanent refusal; "blocked" a receiver's block of the sender (SendGrid retries none).
        const blocked = e.type === 'blocked';
        const diagnostic = str(e.reason);
        const c = classifyProviderBounce({ permanent: blocked ? null : true, policy: blocked, status: str(e.status), diagnostic });
        events.push({
          ...base,
          type: 'bounced',
          bounceClass: c.bounceClass,
          data: { ...data, bounce_class: c.bounceClass, why: c.reason, status: str(e.status), diagnostic, provider_type: str(e.type), provider_classification: str(e.bounce_classification) },
        });
        break;
      }
      case 'dropped': {
        // SendGrid did not send: it had suppressed the address. "Bounced Address" and "Invalid"
        // are earlier hard bounces Herald learns of here; the other reasons are recorded only.
        const reason = str(e.reason) ?? '';
        if (/^(bounced address|invalid)/i.test(reason)) {
          events.push({ ...base, type: 'bounced', bounceClass: 'hard', data: { ...data, bounce_class: 'hard', why: `SendGrid dropped the message: ${reason}`, diagnostic: reason } });
        } else {
          events.push({ ...base, type: 'failed', data: { ...data, reason } });
        }
        break;
      }
      case 'spamreport':
        events.push({ ...base, type: 'complained', data });
        break;
      case 'open':
        events.push({ ...base, type: 'opened', machine: e.sg_machine_open === true, data: { ...data, user_agent: str(e.useragent), ip: str(e.ip) } });
        break;
      case 'click':
        // SendGrid does not flag scanner clicks: whether a person made it is not known.
        events.push({ ...base, type: 'clicked', machine: null, data: { ...data, url: str(e.url), user_agent: str(e.useragent), ip: str(e.ip) } });
        break;
      case 'unsubscribe':
      case 'group_unsubscribe':
        events.push({ ...base, type: 'unsubscribed', data: { ...data, asm_group_id: e.asm_group_id ?? null } });
        break;
      default:
        ignored.push(e.event);
    }
  }
  return { ok: true, events, ignored };
}
