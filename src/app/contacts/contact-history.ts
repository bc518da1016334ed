// F4.6: a contact's timeline — every message Herald decided for them (sent, skipped with its
// reason, waiting, failed) and every event after the hand-off (opened, clicked, bounced,
// unsubscribed, complained), newest first, across campaigns.
import type { Actor, AppDeps } from '../deps.ts';
import { REASONS, type Reason } from '../../core/reasons.ts';
import { findContact } from './get-contact.ts';

export interface TimelineItem {
  at: string;
  kind: 'message' | 'event';
  campaign_id: number | null;
  campaign_name: string | null;
  message_id: number | null;
  /** For messages: the ledger status; for events: the event type. */
  type: string;
  reason: string | null;
  meaning: string | null;
  machine: boolean | null;
  detail: Record<string, unknown>;
}

export async function contactHistory(
  deps: AppDeps,
  actor: Actor,
  contactRef: string,
  page: { limit: number; before?: string },
): Promise<{ contact: { id: number; email: string | null; phone: string | null }; items: TimelineItem[]; next_before: string | null }> {
  const contact = await findContact(deps, actor, contactRef);
  const { db } = deps.store;
  const before = page.before ?? '9999';
  // A message's time in the timeline: when it went, else when it was last decided.
  const messages = await db
    .selectFrom('messages')
    .leftJoin('campaigns', 'campaigns.id', 'messages.campaign_id')
    .select([
      'messages.id',
      'messages.campaign_id',
      'campaigns.name as campaign_name',
      'messages.status',
      'messages.reason',
      'messages.response',
      'messages.address',
      'messages.sent_at',
      'messages.updated_at',
      'messages.next_attempt_at',
      'messages.possible_duplicate',
    ])
    .where('messages.account_id', '=', actor.accountId)
    .where('messages.contact_id', '=', contact.id)
    .where((eb) => eb(eb.fn.coalesce('messages.sent_at', 'messages.updated_at'), '<', before))
    .orderBy((eb) => eb.fn.coalesce('messages.sent_at', 'messages.updated_at'), 'desc')
    .limit(page.limit)
    .execute();
  const events = await db
    .selectFrom('message_events')
    .leftJoin('campaigns', 'campaigns.id', 'message_events.campaign_id')
    .select([
      'message_events.id',
      'message_events.campaign_id',
      'campaigns.name as campaign_name',
      'message_events.message_id',
      'message_events.type',
      'message_events.machine',
      'message_events.data',
      'message_events.occurred_at',
    ])
    .where('message_events.account_id', '=', actor.accountId)
    .where('message_events.contact_id', '=', contact.id)
    // The hand-off events repeat what the message row says; the timeline shows the row instead.
    .where('message_events.type', 'not in', ['sent', 'deferred', 'failed'])
    .where('message_events.occurred_at', '<', before)
    .orderBy('message_events.occurred_at', 'desc')
    .limit(page.limit)
    .execute();
  const meaning = (r: string | null) => (r && Object.hasOwn(REASONS, r) ? REASONS[r as Reason] : null);
  const items: TimelineItem[] = [
    ...messages.map(
      (m): TimelineItem => ({
        at: m.sent_at ?? m.updated_at,
        kind: 'message',
        campaign_id: m.campaign_id,
        campaign_name: m.campaign_name,
        message_id: m.id,
        type: m.status,
        reason: m.reason,
        meaning: meaning(m.reason),
        machine: null,
        detail: { address: m.address, response: m.response, next_attempt_at: m.next_attempt_at, possible_duplicate: m.possible_duplicate === 1 },
      }),
    ),
    ...events.map(
      (e): TimelineItem => ({
        at: e.occurred_at,
        kind: 'event',
        campaign_id: e.campaign_id,
        campaign_name: e.campaign_name,
        message_id: e.message_id,
        type: e.type,
        reason: null,
        meaning: null,
        machine: e.machine === null ? null : e.machine === 1,
        detail: JSON.parse(e.data) as Record<string, unknown>,
      }),
    ),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, page.limit);
  const full = messages.length === page.limit || events.length === page.limit;
  return {
    contact: { id: contact.id, email: contact.email, phone: contact.phone },
    items,
    next_before: full && items.length ? items[items.length - 1].at : null,
  };
}
