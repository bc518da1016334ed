// Amazon SES notifications (SNS Message of identity notifications: notificationType) and event
// publishing (eventType): Bounce, Complaint, Delivery, DeliveryDelay, Open, Click, Subscription.
// One notification can name several recipients; each becomes its own event. Herald's reference:
// mail.commonHeaders.messageId, a Message-ID in mail.headers, or mail.tags.herald_message_id.
import { firstHeraldReference } from './herald-reference.ts';
import { classifyProviderBounce } from './provider-bounce-class.ts';
import { isObject, isoFrom, type ParsedPayload, type ProviderEvent, str } from './provider-event.ts';

const recipients = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter(isObject) : []);

export function parseSesNotification(messageText: string): ParsedPayload {
  let body: unknown;
  try {
    body = JSON.parse(messageText);
  } catch {
    return { ok: false, problem: 'the SNS Message is not JSON' };
  }
  if (!isObject(body)) return { ok: false, problem: 'the SNS Message is not a JSON object' };
  const kind = str(body.eventType) ?? str(body.notificationType);
  if (!kind) return { ok: false, problem: 'the SES notification has neither eventType nor notificationType' };
  const mail = isObject(body.mail) ? body.mail : {};
  const common = isObject(mail.commonHeaders) ? mail.commonHeaders : {};
  const headers = recipients(mail.headers);
  const tags = isObject(mail.tags) ? mail.tags : {};
  const tagRef = Array.isArray(tags.herald_message_id) ? tags.herald_message_id[0] : null;
  const reference = firstHeraldReference([common.messageId, ...headers.filter((h) => String(h.name).toLowerCase() === 'message-id').map((h) => h.value), tagRef]);
  const data = { source: 'webhook:ses', provider_event: kind, provider_message_id: str(mail.messageId) };
  const events: ProviderEvent[] = [];
  const section = (name: string) => (isObject(body[name]) ? (body[name] as Record<string, unknown>) : null);

  switch (kind) {
    case 'Bounce': {
      const b = section('bounce');
      if (!b) return { ok: false, problem: 'a Bounce notification needs "bounce"' };
      const occurredAt = isoFrom(b.timestamp);
      if (!occurredAt) return { ok: false, problem: 'bounce.timestamp is missing or unreadable' };
      const bounceType = str(b.bounceType);
      const subType = str(b.bounceSubType);
      for (const r of recipients(b.bouncedRecipients)) {
        const diagnostic = str(r.diagnosticCode);
        const c =
          bounceType === 'Permanent' && (subType === 'Suppressed' || subType === 'OnAccountSuppressionList')
            ? { bounceClass: 'hard' as const, reason: `SES did not send: the address is on the ${subType === 'Suppressed' ? 'global' : 'account'} suppression list` }
            : classifyProviderBounce({ permanent: bounceType === 'Permanent' ? true : bounceType === 'Transient' ? false : null, status: str(r.status), diagnostic });
        events.push({
          address: str(r.emailAddress),
          occurredAt,
          reference,
          type: 'bounced',
          bounceClass: c.bounceClass,
          data: { ...data, provider_event_id: str(b.feedbackId), bounce_class: c.bounceClass, why: c.reason, bounce_type: bounceType, bounce_sub_type: subType, status: str(r.status), diagnostic },
        });
      }
      break;
    }
    case 'Complaint': {
      const c = section('complaint');
      if (!c) return { ok: false, problem: 'a Complaint notification needs "complaint"' };
      const occurredAt = isoFrom(c.timestamp);
      if (!occurredAt) return { ok: false, problem: 'complaint.timestamp is missing or unreadable' };
      for (const r of recipients(c.complainedRecipients)) {
        events.push({
          address: str(r.emailAddress),
          occurredAt,
          reference,
          type: 'complained',
          data: { ...data, provider_event_id: str(c.feedbackId), feedback_type: str(c.complaintFeedbackType), sub_type: str(c.complaintSubType) },
        });
      }
      break;
    }
    case 'Delivery': {
      const d = section('delivery');
      if (!d) return { ok: false, problem: 'a Delivery notification needs "delivery"' };
      const occurredAt = isoFrom(d.timestamp);
      if (!occurredAt) return { ok: false, problem: 'delivery.timestamp is missing or unreadable' };
      for (const r of Array.isArray(d.recipients) ? d.recipients : []) {
        events.push({ address: str(r), occurredAt, reference, type: 'delivered', data: { ...data, response: str(d.smtpResponse) } });
      }
      break;
    }
    case 'DeliveryDelay': {
      const d = section('deliveryDelay');
      if (!d) return { ok: false, problem: 'a DeliveryDelay notification needs "deliveryDelay"' };
      const occurredAt = isoFrom(d.timestamp);
      if (!occurredAt) return { ok: false, problem: 'deliveryDelay.timestamp is missing or unreadable' };
      for (const r of recipients(d.delayedRecipients)) {
        events.push({ address: str(r.emailAddress), occurredAt, reference, type: 'deferred', data: { ...data, delay_type: str(d.delayType), status: str(r.status), diagnostic: str(r.diagnosticCode) } });
      }
      break;
    }
    case 'Open':
    case 'Click': {
      const o = section(kind === 'Open' ? 'open' : 'click');
      if (!o) return { ok: false, problem: `an ${kind} event needs "${kind.toLowerCase()}"` };
      const occurredAt = isoFrom(o.timestamp);
      if (!occurredAt) return { ok: false, problem: `${kind.toLowerCase()}.timestamp is missing or unreadable` };
      const destination = Array.isArray(mail.destination) ? mail.destination : [];
      events.push({
        address: str(destination[0]),
        occurredAt,
        reference,
        type: kind === 'Open' ? 'opened' : 'clicked',
        machine: null,
        data: { ...data, url: str(o.link), user_agent: str(o.userAgent), ip: str(o.ipAddress) },
      });
      break;
    }
    case 'Subscription': {
      const s = section('subscription');
      const occurredAt = s ? isoFrom(s.timestamp) : null;
      if (!s || !occurredAt) return { ok: false, problem: 'a Subscription event needs "subscription" with a timestamp' };
      const destination = Array.isArray(mail.destination) ? mail.destination : [];
      events.push({ address: str(destination[0]), occurredAt, reference, type: 'unsubscribed', data: { ...data, source_detail: str(s.source) } });
      break;
    }
    default:
      return { ok: true, events: [], ignored: [kind] };
  }
  return { ok: true, events, ignored: [] };
}
