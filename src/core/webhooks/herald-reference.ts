// Which Herald message a provider's event is about. Herald sets the Message-ID header
// `herald.<message id>.<delivery id>.<mac>@<sender domain>` (src/app/links/message-id.ts); providers echo it (or a copy Herald put in
// their metadata header) in their events:
//   SendGrid  `smtp-id` (the Message-ID as sent) or the custom arg `herald_message_id`
//             (X-SMTPAPI: {"unique_args":{"herald_message_id":"…"}}) — opens and clicks carry only the custom arg;
//   Mailgun   event-data.message.headers["message-id"] or user-variables.herald_message_id (X-Mailgun-Variables);
//   Postmark  Metadata.herald_message_id (X-PM-Metadata-herald_message_id): Postmark replaces the Message-ID;
//   SES       mail.commonHeaders.messageId, a Message-ID in mail.headers, or mail.tags.herald_message_id
//             (X-SES-MESSAGE-TAGS).
// Both numbers are required and must match the same ledger row, so a guessed id alone links nothing.

export interface HeraldReference {
  messageId: number;
  deliveryId: number;
}

const REFERENCE = /^<?\s*herald\.(\d{1,15})\.(\d{1,15})(?:\.[0-9a-f]{6,32})?(@[^>\s]*)?\s*>?$/i;

/** The message and delivery ids of a Herald Message-ID (with or without <>), or null. */
export function parseHeraldReference(value: unknown): HeraldReference | null {
  if (typeof value !== 'string') return null;
  const m = REFERENCE.exec(value.trim());
  if (!m) return null;
  const messageId = Number(m[1]);
  const deliveryId = Number(m[2]);
  return messageId > 0 && deliveryId > 0 ? { messageId, deliveryId } : null;
}

/** The first candidate that is a Herald reference. */
export function firstHeraldReference(candidates: readonly unknown[]): HeraldReference | null {
  for (const c of candidates) {
    const r = parseHeraldReference(c);
    if (r) return r;
  }
  return null;
}

/**
 * Headers that make each provider echo the Herald Message-ID in every event, opens and clicks
 * included (see the table above). For the sending path through a provider's SMTP relay; each
 * provider strips its own header, the others pass through unread.
 */
export function providerMetadataHeaders(heraldMessageId: string): Record<string, string> {
  const ref = heraldMessageId.replace(/^<|>$/g, '');
  return {
    'X-SMTPAPI': JSON.stringify({ unique_args: { herald_message_id: ref } }),
    'X-Mailgun-Variables': JSON.stringify({ herald_message_id: ref }),
    'X-PM-Metadata-herald_message_id': ref,
    'X-SES-MESSAGE-TAGS': `herald_message_id=${ref.replace(/[^A-Za-z0-9_.@-]/g, '_')}`,
  };
}
