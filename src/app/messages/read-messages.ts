// A one-off message's fate (F0.8, E1): where it stands in the ledger, why (the reason with its
// meaning, the server's reply, the decision on today's data), and what happened after the
// hand-off (delivered, opened, clicked, bounced …).
import { REASONS, type Reason } from '../../core/reasons.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { explainContact } from '../explain/explain-contact.ts';

export interface MessageSummary {
  id: number;
  campaign_id: number;
  delivery_id: number;
  contact_id: number;
  transactional: boolean;
  /** The campaign's name: "Message to anna@example.com: <subject>". */
  name: string;
  from_email: string | null;
  /** The ledger status (queued, sent, skipped, failed, deferred …), or `pending` before the worker prepared it. */
  status: string;
  delivery_status: string;
  reason: string | null;
  meaning: string | null;
  address: string | null;
  response: string | null;
  sent_at: string | null;
  idempotency_key: string | null;
  created_by: string;
  created_at: string;
}

export interface MessageView extends MessageSummary {
  contact: { id: number; email: string | null; first_name: string | null; last_name: string | null } | null;
  attempts: number;
  possible_duplicate: boolean;
  next_attempt_at: string | null;
  /** Everything after the decision, oldest first: sent, deferred, delivered, opened, clicked, bounced … */
  events: Array<{ type: string; occurred_at: string; machine: boolean | null; data: Record<string, unknown> }>;
  /** The decision on today's data and a sentence (src/app/explain/explain-contact.ts); null once the contact is deleted. */
  why: { summary: string; decision: { kind: string; reason: string | null; meaning: string | null; rule: string; detail: string; until: string | null } } | null;
}

const meaningOf = (reason: string | null) => (reason && Object.hasOwn(REASONS, reason) ? REASONS[reason as Reason] : null);

function baseQuery(deps: AppDeps, actor: Actor) {
  return deps.store.db
    .selectFrom('one_off_messages as o')
    .innerJoin('campaigns as c', 'c.id', 'o.campaign_id')
    .innerJoin('deliveries as d', 'd.id', 'o.delivery_id')
    .leftJoin('messages as m', (j) => j.onRef('m.delivery_id', '=', 'o.delivery_id').onRef('m.contact_id', '=', 'o.contact_id'))
    .select([
      'o.id',
      'o.campaign_id',
      'o.delivery_id',
      'o.contact_id',
      'o.transactional',
      'o.idempotency_key',
      'o.created_by',
      'o.created_at',
      'c.name',
      'c.from_email',
      'd.status as delivery_status',
      'm.id as ledger_id',
      'm.status',
      'm.reason',
      'm.address',
      'm.response',
      'm.sent_at',
      'm.attempts',
      'm.possible_duplicate',
      'm.next_attempt_at',
    ])
    .where('o.account_id', '=', actor.accountId);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toSummary(r: Row): MessageSummary {
  return {
    id: Number(r.id),
    campaign_id: Number(r.campaign_id),
    delivery_id: Number(r.delivery_id),
    contact_id: Number(r.contact_id),
    transactional: r.transactional === 1,
    name: r.name,
    from_email: r.from_email,
    status: r.status ?? 'pending',
    delivery_status: r.delivery_status,
    reason: r.reason ?? null,
    meaning: meaningOf(r.reason ?? null),
    address: r.address ?? null,
    response: r.response ?? null,
    sent_at: r.sent_at ?? null,
    idempotency_key: r.idempotency_key,
    created_by: r.created_by,
    created_at: r.created_at,
  };
}

export async function getMessage(deps: AppDeps, actor: Actor, id: number): Promise<MessageView> {
  const { db } = deps.store;
  const r = await baseQuery(deps, actor).where('o.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('message', id);
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'first_name', 'last_name'])
    .where('account_id', '=', actor.accountId)
    .where('id', '=', r.contact_id)
    .executeTakeFirst();
  const events = r.ledger_id
    ? await db
        .selectFrom('message_events')
        .select(['type', 'occurred_at', 'machine', 'data'])
        .where('account_id', '=', actor.accountId)
        .where('message_id', '=', r.ledger_id)
        .orderBy('occurred_at')
        .orderBy('id')
        .execute()
    : [];
  let why: MessageView['why'] = null;
  if (contact) {
    const e = await explainContact(deps, actor, Number(r.campaign_id), String(contact.id));
    why = { summary: r.ledger_id ? e.summary : `Waiting for a worker to prepare it. ${e.summary}`, decision: e.decision };
  }
  return {
    ...toSummary(r),
    contact: contact ? { ...contact, id: Number(contact.id) } : null,
    attempts: r.attempts ?? 0,
    possible_duplicate: r.possible_duplicate === 1,
    next_attempt_at: r.next_attempt_at ?? null,
    events: events.map((e) => ({ type: e.type, occurred_at: e.occurred_at, machine: e.machine === null ? null : e.machine === 1, data: JSON.parse(e.data) })),
    why,
  };
}

/** One-off messages, newest first; `contact_id` narrows to one contact's. */
export async function listMessages(
  deps: AppDeps,
  actor: Actor,
  page: { limit: number; before?: number; contactId?: number },
): Promise<{ items: MessageSummary[]; next_before: number | null }> {
  let q = baseQuery(deps, actor).orderBy('o.id', 'desc').limit(page.limit + 1);
  if (page.before) q = q.where('o.id', '<', page.before);
  if (page.contactId !== undefined) q = q.where('o.contact_id', '=', page.contactId);
  const rows = await q.execute();
  const items = rows.slice(0, page.limit).map(toSummary);
  return { items, next_before: rows.length > page.limit ? items[items.length - 1].id : null };
}
