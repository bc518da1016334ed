// The closed vocabulary of reasons. Every message that is not sent carries exactly one of these,
// and every reason has a sentence that explains it to a person. No free text: a new cause needs
// a new entry here (and in README's reason table).

export const REASONS = {
  // skip: decided before any hand-off
  no_address_for_channel: 'The contact has no address for this channel (e.g. only a phone number for an email campaign).',
  invalid_address: 'The address can never receive mail (bad syntax or a reserved domain such as .invalid).',
  unsubscribed: 'The contact unsubscribed from the campaign\'s lists.',
  excluded_by_list: 'The contact is on one of the campaign\'s exclusion lists.',
  excluded_by_segment: 'The contact is excluded by the campaign\'s segment rules.',
  consent_pending: 'The contact has not confirmed the subscription yet (double opt-in).',
  consent_declined: 'The contact did not confirm the subscription before it expired.',
  duplicate: 'Another contact in this delivery has the same address; it is sent once.',
  suppressed_bounce: 'The address bounced hard before.',
  suppressed_complaint: 'The contact marked a message as spam.',
  blocklisted: 'The address is on the account\'s blocklist.',
  frequency_cap: 'The contact already got as many messages as the account\'s frequency cap allows.',
  // defer: waits, then goes (or is decided again)
  quiet_hours: 'It is quiet hours in the recipient\'s time zone; the message goes when they end.',
  daily_limit: 'The account\'s daily sending limit is used up; the message goes the next day.',
  domain_throttle: 'The recipient\'s mail provider takes only so many messages per minute from us; it goes in a later slot.',
  budget_exhausted: 'The campaign\'s budget is used up.',
  sender_failing: 'Too many messages were refused for policy reasons (5.7.x); the delivery was paused to protect the sender.',
  // failed: the receiving side refused (5xx) or we gave up
  rejected_recipient: 'The recipient\'s server rejected the address (e.g. 5.1.1 user unknown).',
  rejected_sender_policy: 'The recipient\'s server refused the sender or content by policy (5.7.x); not the recipient\'s fault.',
  rejected_message: 'The recipient\'s server refused the message itself (e.g. too large).',
  rejected_unknown: 'The recipient\'s server refused the message without a recognisable cause.',
  retries_exhausted: 'Temporary failures (4xx) went on past the retry window.',
  render_failed: 'The template could not be rendered for this contact.',
  // cancelled
  cancelled: 'The delivery was cancelled before this message was handed off.',
} as const;

export type Reason = keyof typeof REASONS;

export function isReason(value: string): value is Reason {
  return Object.hasOwn(REASONS, value);
}

export const REASON_LIST = Object.keys(REASONS) as Reason[];
