// The consent state of one contact on one list. "unconfirmed" waits for a double opt-in
// confirmation (F1.11); "unsubscribed" is kept as a row (not deleted) so the decision is
// remembered: imports and bulk upserts never turn it back into "subscribed".
export const SUBSCRIPTION_STATUSES = ['subscribed', 'unconfirmed', 'unsubscribed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const LIST_OPT_INS = ['single', 'double'] as const;
export type ListOptIn = (typeof LIST_OPT_INS)[number];

export function isSubscriptionStatus(v: unknown): v is SubscriptionStatus {
  return typeof v === 'string' && (SUBSCRIPTION_STATUSES as readonly string[]).includes(v);
}

/** The status a new subscriber gets when the caller does not say: double opt-in lists wait for consent. */
export function initialStatus(list: { opt_in: string }): SubscriptionStatus {
  return list.opt_in === 'double' ? 'unconfirmed' : 'subscribed';
}
