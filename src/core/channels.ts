// Channels and how a contact is reached on each. The decision itself is src/core/decide-message.ts.

export type Channel = 'email' | 'sms' | 'messenger' | 'letter';
export const CHANNELS: readonly Channel[] = ['email', 'sms', 'messenger', 'letter'];

export function addressFor(channel: Channel, c: { email: string | null; phone: string | null }): string | null {
  switch (channel) {
    case 'email':
      return c.email;
    case 'sms':
      return c.phone;
    default:
      return null;
  }
}

/**
 * Does an address identify one contact per account on this channel? Emails are unique per account;
 * phone numbers are not (a family shares one), so an SMS delivery must de-duplicate by address.
 */
export function addressIsUniquePerAccount(channel: Channel): boolean {
  return channel === 'email';
}
