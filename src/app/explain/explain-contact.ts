// E1 "why": for one (campaign, contact), what happened or will happen, the reason, and the rule
// and data behind it ("unsubscribed from list Newsletter on 2026-03-02 via one-click"). The
// ledger says what happened; a fresh decision on today's data says what would happen now.
import { type Channel, addressFor } from '../../core/channels.ts';
import { type MessageDecision, decideMessage } from '../../core/decide-message.ts';
import { REASONS, type Reason } from '../../core/reasons.ts';
import { audienceRecheckQuery } from '../../store/queries/audience.ts';
import { messageKindOf, parseAudience, parseSettings } from '../campaigns/campaign-input.ts';
import { currentDeliveryId, loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { findContact } from '../contacts/get-contact.ts';
import { audienceScope, factsFor, loadBatchFacts } from '../deliveries/audience-facts.ts';
import type { Actor, AppDeps } from '../deps.ts';

export interface ContactExplanation {
  campaign_id: number;
  contact: { id: number; email: string | null; phone: string | null };
  in_audience: boolean;
  ledger: {
    message_id: number;
    delivery_id: number;
    status: string;
    reason: string | null;
    meaning: string | null;
    attempts: number;
    response: string | null;
    next_attempt_at: string | null;
    sent_at: string | null;
    possible_duplicate: boolean;
  } | null;
  /** What the decision says now, with today's data. */
  decision: { kind: 'send' | 'skip' | 'defer' | 'not_in_audience'; reason: string | null; meaning: string | null; rule: string; detail: string; until: string | null };
  summary: string;
}

const meaningOf = (reason: string | null) => (reason && Object.hasOwn(REASONS, reason) ? REASONS[reason as Reason] : null);

export async function explainContact(deps: AppDeps, actor: Actor, campaignId: number, contactRef: string): Promise<ContactExplanation> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const contact = await findContact(deps, actor, contactRef);
  const channel = campaign.channel as Channel;
  const { db, caps } = deps.store;

  // A triggered campaign has a run per firing: a contact is explained from the latest run that had
  // it (the campaign's latest run is usually someone else's).
  const ownRun =
    campaign.kind === 'triggered'
      ? await db.selectFrom('messages').select('delivery_id').where('campaign_id', '=', campaignId).where('contact_id', '=', contact.id).orderBy('id', 'desc').limit(1).executeTakeFirst()
      : undefined;
  const deliveryId = ownRun?.delivery_id ?? (await currentDeliveryId(deps, campaignId));
  // A run with its own recipients (a one-off message, a trigger firing) is explained on them: they
  // count as subscribed, as when the run is prepared.
  const run = deliveryId ? await db.selectFrom('deliveries').select('audience').where('id', '=', deliveryId).executeTakeFirst() : undefined;
  const audience = parseAudience(run?.audience ?? campaign.audience);
  const explicit = audience.contact_ids != null;
  const row = deliveryId
    ? await db.selectFrom('messages').selectAll().where('delivery_id', '=', deliveryId).where('contact_id', '=', contact.id).executeTakeFirst()
    : undefined;

  // The contact's memberships on the campaign's lists, with names and when they last changed.
  const memberships = [...audience.list_ids, ...audience.exclude_list_ids].length
    ? await db
        .selectFrom('subscriptions')
        .innerJoin('lists', 'lists.id', 'subscriptions.list_id')
        .select(['lists.id', 'lists.name', 'subscriptions.status', 'subscriptions.updated_at', 'subscriptions.source'])
        .where('subscriptions.contact_id', '=', contact.id)
        .where('subscriptions.list_id', 'in', [...audience.list_ids, ...audience.exclude_list_ids])
        .execute()
    : [];
  const included = memberships.filter((m) => audience.list_ids.includes(m.id));
  const excludedBy = memberships.find((m) => audience.exclude_list_ids.includes(m.id) && m.status !== 'unsubscribed');

  const inAudience = explicit ? audience.contact_ids!.includes(contact.id) : included.length > 0;

  let decision: ContactExplanation['decision'];
  if (explicit && !inAudience) {
    decision = { kind: 'not_in_audience', reason: null, meaning: null, rule: 'audience', detail: 'not one of the contacts this run was sent to', until: null };
  } else if (!explicit && included.length === 0) {
    const names = await db.selectFrom('lists').select('name').where('id', 'in', audience.list_ids.length ? audience.list_ids : [0]).execute();
    decision = {
      kind: 'not_in_audience',
      reason: null,
      meaning: null,
      rule: 'audience',
      detail: `not on the campaign's lists (${names.map((n) => n.name).join(', ') || 'none chosen'})`,
      until: null,
    };
  } else {
    const scope = await audienceScope(deps, actor.accountId, campaign.channel as Channel, audience, messageKindOf(parseSettings(campaign.settings)));
    const { rows } = await db.executeQuery(
      audienceRecheckQuery(caps, { accountId: actor.accountId, include: explicit ? [] : audience.list_ids, exclude: audience.exclude_list_ids, contactIds: [contact.id], segments: scope.segments }),
    );
    const now = deps.clock.now();
    const batch = await loadBatchFacts(deps, scope, rows, now);
    const facts = factsFor(scope, rows[0], batch, false);
    if (facts.excluded_by_list && excludedBy) facts.excluded_by_list = { list_name: excludedBy.name };
    if (facts.subscription.status !== 'subscribed' && included.length > 0) {
      const latest = [...included].sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];
      facts.subscription = { ...facts.subscription, list_name: latest.name, changed_at: latest.updated_at, source: latest.source };
    }
    const d: MessageDecision = decideMessage(facts, { now, quiet_until: null, limited: null });
    decision = {
      kind: d.kind,
      reason: d.kind === 'send' ? null : d.reason,
      meaning: d.kind === 'send' ? null : meaningOf(d.reason),
      rule: d.why.rule,
      detail: d.why.detail,
      until: d.kind === 'defer' ? d.until.toISOString() : null,
    };
  }

  const ledger = row
    ? {
        message_id: row.id,
        delivery_id: row.delivery_id,
        status: row.status,
        reason: row.reason,
        meaning: meaningOf(row.reason),
        attempts: row.attempts,
        response: row.response,
        next_attempt_at: row.next_attempt_at,
        sent_at: row.sent_at,
        possible_duplicate: row.possible_duplicate === 1,
      }
    : null;
  const address = addressFor(channel, contact) ?? `contact ${contact.id}`;
  return {
    campaign_id: campaignId,
    contact: { id: contact.id, email: contact.email, phone: contact.phone },
    in_audience: inAudience,
    ledger,
    decision,
    summary: summarize(address, ledger, decision),
  };
}

function summarize(address: string, ledger: ContactExplanation['ledger'], decision: ContactExplanation['decision']): string {
  const now = decision.kind === 'not_in_audience' ? `It is ${decision.detail}.` : decision.kind === 'send' ? 'Today it would be sent.' : `Today: ${decision.detail}.`;
  if (!ledger) {
    if (decision.kind === 'not_in_audience') return `${address} is ${decision.detail}, so this campaign does not include it.`;
    if (decision.kind === 'send') return `Not sent yet; with today's data ${address} would get it (${decision.detail}).`;
    return `Not sent yet; with today's data it would be ${decision.kind === 'skip' ? 'skipped' : 'deferred'}: ${decision.reason} — ${decision.detail}.`;
  }
  switch (ledger.status) {
    case 'sent':
      return `Sent to ${address} at ${ledger.sent_at}; the receiving server replied "${ledger.response}".${
        ledger.possible_duplicate ? ' It may have arrived twice: its first hand-off was cut off by a crash and it was sent again.' : ''
      }`;
    case 'failed':
      return `Not delivered: ${ledger.reason} — ${ledger.meaning ?? ''} The server replied "${ledger.response ?? ''}".`;
    case 'skipped':
      return `Skipped: ${ledger.reason} — ${decision.reason === ledger.reason ? decision.detail : (ledger.meaning ?? '')}. ${decision.reason === ledger.reason ? '' : now}`.trim();
    case 'deferred':
      return `Waiting until ${ledger.next_attempt_at}: ${ledger.reason ? `${ledger.reason} — ${ledger.meaning}` : `a temporary refusal ("${ledger.response}"), retried automatically`}.`;
    case 'cancelled':
      return 'Not sent: the delivery was cancelled before this message was handed off.';
    case 'uncertain':
      return 'Uncertain: the sending process stopped while handing this message off; it is held for a person to decide (uncertain_policy: hold).';
    default:
      return `In the queue (${ledger.status}); it goes out with the next batch.`;
  }
}
