// Postmark webhooks: one JSON object per request with RecordType Bounce, SpamComplaint, Delivery,
// Open, Click or SubscriptionChange; authenticated with HTTP basic auth set on the webhook URL.
// Postmark replaces the Message-ID, so Herald's reference is Metadata.herald_message_id
// (the X-PM-Metadata-herald_message_id header at sending).
import { timingSafeEqual } from 'node:crypto';
import { firstHeraldReference } from './herald-reference.ts';
import { classifyProviderBounce } from './provider-bounce-class.ts';
import { isObject, isoFrom, type ParsedPayload, type ProviderEvent, str } from './provider-event.ts';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Whether an Authorization header carries the configured basic-auth credentials. */
export function verifyPostmarkBasicAuth(header: string | undefined, username: string, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always, so the time taken does not tell which one was wrong.
  const userOk = same(decoded.slice(0, colon), username);
  const passOk = same(decoded.slice(colon + 1), password);
  return userOk && passOk;
}

// Postmark bounce types (TypeCode names) by what they mean for the address.
const PERMANENT = new Set(['HardBounce', 'BadEmailAddress']);
const TRANSIENT = new Set(['SoftBounce', 'Transient', 'DnsError']);
const POLICY = new Set(['Blocked', 'SpamNotification', 'DMARCPolicy']);
/** Not about delivery to the recipient at all (Postmark's own states, inbound, templates). */
const NOT_BOUNCES = new Set(['Subscribe', 'ManuallyDeactivated', 'Unconfirmed', 'InboundError', 'TemplateRenderingFailed', 'SMTPApiError', 'OpenRelayTest', 'ChallengeVerification', 'AddressChange']);

export function parsePostmarkEvent(body: unknown): ParsedPayload {
  if (!isObject(body)) return { ok: false, problem: 'a Postmark webhook body is a JSON object' };
  const record = str(body.RecordType);
  if (!record) return { ok: false, problem: 'RecordType is missing' };
  const metadata = isObject(body.Metadata) ? body.Metadata : {};
  const reference = firstHeraldReference([metadata.herald_message_id]);
  const data: Record<string, unknown> = { source: 'webhook:postmark', provider_event: record, provider_message_id: str(body.MessageID), message_stream: str(body.MessageStream) };
  const at = (field: string) => isoFrom(body[field]);
  const need = (field: string): string | { problem: string } => at(field) ?? { problem: `${field} is missing or unreadable` };
  const one = (e: ProviderEvent): ParsedPayload => ({ ok: true, events: [e], ignored: [] });

  switch (record) {
    case 'Bounce':
    case 'SpamComplaint': {
      const when = need('BouncedAt');
      if (typeof when !== 'string') return { ok: false, ...when };
      const type = str(body.Type) ?? 'Unknown';
      const base = { address: str(body.Email), occurredAt: when, reference };
      const d = { ...data, provider_event_id: body.ID ?? null, provider_type: type };
      if (record === 'SpamComplaint' || type === 'SpamComplaint') return one({ ...base, type: 'complained', data: d });
      if (type === 'AutoResponder') return one({ ...base, type: 'auto_reply', data: d });
      if (type === 'Unsubscribe') return one({ ...base, type: 'unsubscribed', data: d });
      if (NOT_BOUNCES.has(type)) return { ok: true, events: [], ignored: [`Bounce/${type}`] };
      const diagnostic = str(body.Details) ?? str(body.Description);
      const c = classifyProviderBounce({
        permanent: PERMANENT.has(type) ? true : TRANSIENT.has(type) ? false : null,
        policy: POLICY.has(type),
        diagnostic: str(body.Details),
      });
      return one({ ...base, type: 'bounced', bounceClass: c.bounceClass, data: { ...d, bounce_class: c.bounceClass, why: c.reason, diagnostic } });
    }
    case 'Delivery': {
      const when = need('DeliveredAt');
      if (typeof when !== 'string') return { ok: false, ...when };
      return one({ address: str(body.Recipient), occurredAt: when, reference, type: 'delivered', data: { ...data, response: str(body.Details) } });
    }
    case 'Open':
    case 'Click': {
      const when = need('ReceivedAt');
      if (typeof when !== 'string') return { ok: false, ...when };
      // Postmark does not flag machine opens or clicks.
      return one({
        address: str(body.Recipient),
        occurredAt: when,
        reference,
        type: record === 'Open' ? 'opened' : 'clicked',
        machine: null,
        data: { ...data, url: str(body.OriginalLink), user_agent: str(body.UserAgent) },
      });
    }
    case 'SubscriptionChange': {
      const when = need('ChangedAt');
      if (typeof when !== 'string') return { ok: false, ...when };
      // Only a recipient's own unsubscribe; bounce and complaint suppressions arrive as their own records.
      if (body.SuppressSending === true && body.SuppressionReason === 'ManualSuppression') {
        return one({ address: str(body.Recipient), occurredAt: when, reference, type: 'unsubscribed', data });
      }
      return { ok: true, events: [], ignored: [`SubscriptionChange/${String(body.SuppressionReason)}`] };
    }
    default:
      return { ok: true, events: [], ignored: [record] };
  }
}
