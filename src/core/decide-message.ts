// THE decision for one message: send, skip(reason) or defer(until, reason). Pure: every fact it
// needs is in its argument, gathered by the caller from the store; `now` comes with the pacing
// facts. It runs when a delivery's ledger is written and again just before each hand-off, because
// the world changes in between (an unsubscribe one minute before the send must win).
//
// The order of the checks is part of the contract — the first cause found is the one reported:
//   1. the marketer's own choice: exclusion lists, segment rules
//   2. reachability: an address for the channel, a deliverable one
//   3. suppression: blocklist, hard bounce, complaint, global unsubscribe (transactional messages
//      pass marketing suppressions but never a hard bounce or a blocklist entry)
//   4. consent: unsubscribed from the lists, double opt-in pending or declined
//   5. de-duplication within the delivery, per-contact frequency cap
//   6. pacing (only just before the hand-off): quiet hours, then limits and throttles → defer
import { type Channel, addressFor } from './channels.ts';
import type { Reason } from './reasons.ts';

export type MessageKind = 'marketing' | 'transactional';

export interface SuppressionFact {
  reason: 'blocklist' | 'bounce' | 'complaint' | 'unsubscribe';
  /** Who or what put it there: "api_key:3", "bounce:550 5.1.1", "one-click". */
  source: string | null;
  created_at: string;
}

export interface SubscriptionFact {
  /** Best state over the campaign's lists: subscribed beats unconfirmed beats unsubscribed. */
  status: 'subscribed' | 'unconfirmed' | 'unsubscribed';
  /** For explanations: the list and change behind `status` when it is not `subscribed`. */
  list_name?: string | null;
  changed_at?: string | null;
  source?: string | null;
}

export interface ConsentFact {
  /** pending: a confirmation request is out; declined: it expired or was refused. */
  state: 'pending' | 'declined';
  /** When a pending request expires (the message waits until then). */
  expires_at: string | null;
}

export interface MessageFacts {
  channel: Channel;
  kind: MessageKind;
  contact: { email: string | null; phone: string | null };
  /** Set when the email/phone fails the address check (syntax or a reserved domain). */
  address_problem: string | null;
  excluded_by_list: { list_name: string | null } | null;
  /** Not matching the campaign's segment, or matching one of its exclusion segments. */
  excluded_by_segment: { segment_name: string | null; exclusion: boolean } | null;
  suppression: SuppressionFact | null;
  subscription: SubscriptionFact;
  consent: ConsentFact | null;
  /** Another contact of the delivery already has this address (channels without unique addresses). */
  duplicate: boolean;
  /** The contact reached the account's frequency cap. */
  frequency_capped: { limit: number; days: number } | null;
}

export interface PacingFacts {
  now: Date;
  /** When the recipient's quiet hours end, if they are in them now (null: not quiet or not applied). */
  quiet_until: Date | null;
  /** The earliest time a limit lets this message go, with the limit that holds it (null: free). */
  limited: { until: Date; reason: 'daily_limit' | 'domain_throttle' | 'budget_exhausted'; detail: string } | null;
}

/** Why: the rule that decided and the data behind it, for `herald why` and the API. */
export interface DecisionExplanation {
  rule: string;
  detail: string;
}

export type MessageDecision =
  | { kind: 'send'; address: string; why: DecisionExplanation }
  | { kind: 'skip'; reason: Reason; address: string | null; why: DecisionExplanation }
  | { kind: 'defer'; reason: Reason; until: Date; address: string; why: DecisionExplanation };

const SUPPRESSION_REASON: Record<SuppressionFact['reason'], Reason> = {
  blocklist: 'blocklisted',
  bounce: 'suppressed_bounce',
  complaint: 'suppressed_complaint',
  unsubscribe: 'unsubscribed',
};

/** Suppressions a transactional message (a receipt, a password link) still respects. */
const ALWAYS_BINDING: ReadonlySet<SuppressionFact['reason']> = new Set(['blocklist', 'bounce']);

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'an unknown date');

export function decideMessage(f: MessageFacts, pacing?: PacingFacts): MessageDecision {
  const address = addressFor(f.channel, f.contact);
  const skip = (reason: Reason, rule: string, detail: string): MessageDecision => ({ kind: 'skip', reason, address, why: { rule, detail } });

  if (f.excluded_by_list) {
    return skip('excluded_by_list', 'exclusion list', `on the exclusion list ${f.excluded_by_list.list_name ?? ''}`.trim());
  }
  if (f.excluded_by_segment) {
    const name = f.excluded_by_segment.segment_name ?? 'the segment';
    return skip(
      'excluded_by_segment',
      f.excluded_by_segment.exclusion ? 'exclusion segment' : 'segment',
      f.excluded_by_segment.exclusion ? `matches the exclusion segment ${name}` : `does not match the segment ${name}`,
    );
  }
  if (!address) return { kind: 'skip', reason: 'no_address_for_channel', address: null, why: { rule: 'channel reachability', detail: `the contact has no ${f.channel === 'email' ? 'email address' : f.channel === 'sms' ? 'phone number' : `${f.channel} address`}` } };
  if (f.address_problem) return skip('invalid_address', 'address check', `${address}: ${f.address_problem}`);

  if (f.suppression && (f.kind === 'marketing' || ALWAYS_BINDING.has(f.suppression.reason))) {
    const s = f.suppression;
    return skip(SUPPRESSION_REASON[s.reason], `suppression (${s.reason})`, `${address} suppressed for ${f.channel} on ${day(s.created_at)}${s.source ? ` via ${s.source}` : ''}`);
  }

  if (f.kind === 'marketing') {
    const sub = f.subscription;
    if (sub.status === 'unsubscribed') {
      return skip('unsubscribed', 'subscription', `unsubscribed${sub.list_name ? ` from list ${sub.list_name}` : ''} on ${day(sub.changed_at)}${sub.source ? ` via ${sub.source}` : ''}`);
    }
    if (sub.status === 'unconfirmed') {
      const c = f.consent;
      if (c?.state === 'declined') return skip('consent_declined', 'double opt-in', `the confirmation request${sub.list_name ? ` for ${sub.list_name}` : ''} was not confirmed in time`);
      if (c?.state === 'pending' && c.expires_at && (!pacing || Date.parse(c.expires_at) > pacing.now.getTime())) {
        return { kind: 'defer', reason: 'consent_pending', until: new Date(c.expires_at), address, why: { rule: 'double opt-in', detail: `waits for the contact to confirm until ${c.expires_at}; sent as soon as they confirm` } };
      }
      if (c?.state === 'pending') return skip('consent_declined', 'double opt-in', `the confirmation request expired on ${day(c.expires_at)}`);
      return skip('consent_pending', 'double opt-in', `not confirmed${sub.list_name ? ` on ${sub.list_name}` : ''} and no confirmation request is out`);
    }
  }

  if (f.duplicate) return skip('duplicate', 'one message per address', `another contact of this delivery has ${address}`);
  if (f.frequency_capped && f.kind === 'marketing') {
    return skip('frequency_cap', 'frequency cap', `already got ${f.frequency_capped.limit} messages in ${f.frequency_capped.days} days`);
  }

  if (pacing?.quiet_until && pacing.quiet_until.getTime() > pacing.now.getTime()) {
    return { kind: 'defer', reason: 'quiet_hours', until: pacing.quiet_until, address, why: { rule: 'quiet hours', detail: `quiet hours in the recipient's time zone; goes at ${pacing.quiet_until.toISOString()}` } };
  }
  if (pacing?.limited && pacing.limited.until.getTime() > pacing.now.getTime()) {
    return { kind: 'defer', reason: pacing.limited.reason, until: pacing.limited.until, address, why: { rule: pacing.limited.reason.replace('_', ' '), detail: pacing.limited.detail } };
  }
  return { kind: 'send', address, why: { rule: 'all checks passed', detail: `${address} is reachable, subscribed and inside the limits` } };
}
