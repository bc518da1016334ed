// The decision for one contact of a delivery's audience, made when the ledger is written and
// again just before the hand-off (the world changes in between: an unsubscribe a minute before
// the send must win). Pure: everything it needs is in its arguments.
import { emailAddressProblem } from './address.ts';
import type { Reason } from './reasons.ts';

export type Channel = 'email' | 'sms' | 'messenger' | 'letter';
export const CHANNELS: readonly Channel[] = ['email', 'sms', 'messenger', 'letter'];

export interface AudienceCandidate {
  email: string | null;
  phone: string | null;
  /** The contact's best subscription state over the campaign's lists. */
  subscription: 'subscribed' | 'unconfirmed' | 'unsubscribed';
  /** On one of the campaign's exclusion lists. */
  excluded: boolean;
}

export type AudienceDecision =
  | { kind: 'send'; address: string }
  | { kind: 'skip'; reason: Reason; address: string | null };

export function addressFor(channel: Channel, c: Pick<AudienceCandidate, 'email' | 'phone'>): string | null {
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

/**
 * Order matters and is part of the contract: exclusion first (the marketer said "not these"),
 * then reachability on the channel, then consent. The first cause found is the reason reported.
 * `seenAddress` tells whether another contact of the delivery already has this address.
 */
export function decideForAudience(channel: Channel, c: AudienceCandidate, seenAddress = false): AudienceDecision {
  const address = addressFor(channel, c);
  if (c.excluded) return { kind: 'skip', reason: 'excluded_by_list', address };
  if (!address) return { kind: 'skip', reason: 'no_address_for_channel', address: null };
  if (channel === 'email' && emailAddressProblem(address)) return { kind: 'skip', reason: 'invalid_address', address };
  if (c.subscription === 'unsubscribed') return { kind: 'skip', reason: 'unsubscribed', address };
  if (c.subscription === 'unconfirmed') return { kind: 'skip', reason: 'consent_pending', address };
  if (seenAddress) return { kind: 'skip', reason: 'duplicate', address };
  return { kind: 'send', address };
}
