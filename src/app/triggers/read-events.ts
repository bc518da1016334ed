// Reading events back, to explain what a trigger did: the recent events (by entity or type) and,
// for one entity, its latest state per type, its events and every firing with what became of it
// (the run it went out in and the message's status and reason for that contact).
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { TriggerEventRow } from '../../store/schema-triggers.ts';

export interface EventView {
  id: number;
  type: string;
  entity: string;
  data: Record<string, unknown>;
  contact_ids: number[];
  idempotency_key: string;
  occurred_at: string;
  received_at: string;
}

function toEventView(r: TriggerEventRow): EventView {
  return {
    id: r.id,
    type: r.type,
    entity: r.entity,
    data: JSON.parse(r.data) as Record<string, unknown>,
    contact_ids: JSON.parse(r.contact_ids) as number[],
    idempotency_key: r.idempotency_key,
    occurred_at: r.occurred_at,
    received_at: r.received_at,
  };
}

export async function listEvents(
  deps: AppDeps,
  actor: Actor,
  q: { entity?: string; type?: string; limit?: number; before?: number },
): Promise<{ items: EventView[]; next_before: number | null }> {
  const limit = q.limit ?? 50;
  let query = deps.store.db
    .selectFrom('trigger_events')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.type) query = query.where('type', '=', q.type);
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query.execute();
  const items = rows.slice(0, limit).map(toEventView);
  return { items, next_before: rows.length > limit ? items[items.length - 1].id : null };
}

export interface EntityView {
  entity: string;
  states: Array<{ event_type: string; event_id: number; data: Record<string, unknown>; contact_ids: number[]; occurred_at: string }>;
  events: EventView[];
  firings: Array<{
    id: number;
    campaign_id: number;
    campaign_name: string;
    contact_id: number;
    event_id: number;
    source: string;
    status: string;
    due_at: string;
    delivery_id: number | null;
    message_status: string | null;
    message_reason: string | null;
  }>;
}

export async function getEntity(deps: AppDeps, actor: Actor, entity: string): Promise<EntityView> {
  const { db } = deps.store;
  const states = await db.selectFrom('entity_states').selectAll().where('account_id', '=', actor.accountId).where('entity', '=', entity).orderBy('event_type').execute();
  const events = await db.selectFrom('trigger_events').selectAll().where('account_id', '=', actor.accountId).where('entity', '=', entity).orderBy('id', 'desc').limit(100).execute();
  if (states.length === 0 && events.length === 0) throw notFound('entity', entity, 'entity');
  const firings = await db
    .selectFrom('trigger_firings')
    .innerJoin('campaigns', 'campaigns.id', 'trigger_firings.campaign_id')
    .leftJoin('messages', (j) => j.onRef('messages.delivery_id', '=', 'trigger_firings.delivery_id').onRef('messages.contact_id', '=', 'trigger_firings.contact_id'))
    .select([
      'trigger_firings.id',
      'trigger_firings.campaign_id',
      'campaigns.name as campaign_name',
      'trigger_firings.contact_id',
      'trigger_firings.event_id',
      'trigger_firings.source',
      'trigger_firings.status',
      'trigger_firings.due_at',
      'trigger_firings.delivery_id',
      'messages.status as message_status',
      'messages.reason as message_reason',
    ])
    .where('trigger_firings.account_id', '=', actor.accountId)
    .where('trigger_firings.entity', '=', entity)
    .orderBy('trigger_firings.id')
    .execute();
  return {
    entity,
    states: states.map((s) => ({
      event_type: s.event_type,
      event_id: s.event_id,
      data: JSON.parse(s.data) as Record<string, unknown>,
      contact_ids: JSON.parse(s.contact_ids) as number[],
      occurred_at: s.occurred_at,
    })),
    events: events.map(toEventView),
    firings: firings.map((f) => ({ ...f, message_status: f.message_status ?? null, message_reason: f.message_reason ?? null })),
  };
}
