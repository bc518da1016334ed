// F4.6: a contact's timeline — every message Herald decided for them (sent, skipped with its
// reason, waiting, failed) and every event after the hand-off (opened, clicked, bounced,
// unsubscribed, complained), newest first, across campaigns.
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
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

/**
 * The timeline's order is (time, kind, id), newest first, and a page ends at a cursor
 * "<time>~<kind>~<id>" of its last item: many items share a timestamp (a batch is sent in the same
 * millisecond), so a cursor of the time alone would skip the rest of them at a page boundary.
 * A plain time (older clients) still works: everything strictly before it.
 */
interface Cursor {
  at: string;
  /** 1: message, 0: event, -1: a plain time (nothing at that time is left). */
  rank: number;
  id: number;
}

const RANK = { message: 1, event: 0 } as const;

function parseCursor(before: string | undefined): Cursor {
  if (!before) return { at: '9999', rank: -1, id: 0 };
  const m = /^(.+)~(message|event)~(\d+)$/.exec(before);
  if (m) return { at: m[1], rank: RANK[m[2] as 'message' | 'event'], id: Number(m[3]) };
  if (before.includes('~')) throw invalid('before', `before: "${before}" is not a cursor from next_before`);
  return { at: before, rank: -1, id: 0 };
}

/** Rows of one kind that come after the cursor in (time, kind, id) descending order. */
function afterCursor<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  time: Expression<string>,
  idColumn: Expression<number>,
  kind: keyof typeof RANK,
  c: Cursor,
): Expression<SqlBool> {
  const rank = RANK[kind];
  if (rank < c.rank) return eb.or([eb(time, '<', c.at), eb(time, '=', c.at)]);
  if (rank > c.rank) return eb(time, '<', c.at);
  return eb.or([eb(time, '<', c.at), eb.and([eb(time, '=', c.at), eb(idColumn, '<', c.id)])]);
}

export async function contactHistory(
  deps: AppDeps,
  actor: Actor,
  contactRef: string,
  page: { limit: number; before?: string },
): Promise<{ contact: { id: number; email: string | null; phone: string | null }; items: TimelineItem[]; next_before: string | null }> {
  const contact = await findContact(deps, actor, contactRef);
  const { db } = deps.store;
  const cursor = parseCursor(page.before);
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
    .where((eb) => afterCursor(eb, eb.fn.coalesce('messages.sent_at', 'messages.updated_at'), eb.ref('messages.id'), 'message', cursor))
    .orderBy((eb) => eb.fn.coalesce('messages.sent_at', 'messages.updated_at'), 'desc')
    .orderBy('messages.id', 'desc')
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
    .where((eb) => afterCursor(eb, eb.ref('message_events.occurred_at'), eb.ref('message_events.id'), 'event', cursor))
    .orderBy('message_events.occurred_at', 'desc')
    .orderBy('message_events.id', 'desc')
    .limit(page.limit)
    .execute();
  const meaning = (r: string | null) => (r && Object.hasOwn(REASONS, r) ? REASONS[r as Reason] : null);
  const items: Array<TimelineItem & { id: number }> = [
    ...messages.map(
      (m): TimelineItem & { id: number } => ({
        id: m.id,
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
      (e): TimelineItem & { id: number } => ({
        id: e.id,
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
    .sort((a, b) => b.at.localeCompare(a.at) || RANK[b.kind] - RANK[a.kind] || b.id - a.id)
    .slice(0, page.limit);
  const full = messages.length === page.limit || events.length === page.limit;
  const last = items[items.length - 1];
  return {
    contact: { id: contact.id, email: contact.email, phone: contact.phone },
    items: items.map(({ id: _id, ...item }) => item),
    next_before: full && last ? `${last.at}~${last.kind}~${last.id}` : null,
  };
}
