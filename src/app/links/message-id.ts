// The Message-ID Herald gives each message: herald.<message id>.<delivery id>.<mac>@<sender domain>.
// Bounce and complaint reports quote it to say which message they are about; the MAC (over both
// ids, with the instance secret) makes it unguessable, so a forged report cannot name someone
// else's message by counting ids — the ledger stores the whole header and links by exact match.
import { createHmac } from 'node:crypto';

export function heraldMessageId(secret: string, messageId: number, deliveryId: number, domain: string): string {
  const mac = createHmac('sha256', secret).update(`message-id:${messageId}.${deliveryId}`).digest('hex').slice(0, 12);
  return `herald.${messageId}.${deliveryId}.${mac}@${domain}`;
}
