// POST /api/v1/events: an event from an integration ("job-42 went for sale, these are its
// customers"). In one transaction: the event is stored under its idempotency key, the contacts it
// describes are upserted, the entity's latest state of this type is updated (what catch-up reads),
// and every running triggered campaign of this type whose condition matches gets one firing per
// contact, due after its delay. Firings are unique per (campaign, entity, contact), so a repeated
// event or a second event of the same entity never fires the same campaign twice for a contact.
// The same key again with the same payload answers the first event (duplicate: true) and changes
// nothing; with another payload it is a conflict.
import type { Kysely } from 'kysely';
import { matchesCondition } from '../../core/triggers/event-condition.ts';
import type { Database } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { checkContactItems } from '../contacts/upsert-contacts.ts';
import { writeContacts } from '../contacts/write-contacts.ts';
import { payloadHash } from './payload-hash.ts';
import { parseCondition } from './trigger-settings.ts';

export interface EventInput {
  type: string;
  entity: string;
  data?: Record<string, unknown>;
  /** `{"id": 7}` for a known contact, or contact fields (`email`, `phone`, `first_name`, `attributes` …) to upsert. */
  contacts?: Record<string, unknown>[];
  idempotency_key?: string;
  /** When it happened (ISO 8601); default: when Herald receives it. */
  occurred_at?: string;
}

export interface EventResult {
  event_id: number;
  duplicate: boolean;
  /** Firings created by this event (0 for a duplicate). */
  firings_created: number;
  /** Running triggered campaigns whose condition this event matched. */
  matched_campaigns: number[];
  contact_ids: number[];
}

export const MAX_EVENT_CONTACTS = 1000;
const MAX_KEY = 200;
const MAX_ENTITY = 200;
/** How far ahead of this clock an event's occurred_at may be (the sender's clock may run ahead). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Campaigns that fire on events: running ones (a paused campaign's firings wait for its resume). */
export const FIRING_CAMPAIGN_STATUSES = ['active', 'paused'];

class DuplicateKey extends Error {}

/** The request's idempotency key: the body's, else the Idempotency-Key header's; both must agree. */
export function idempotencyKeyOf(body: string | undefined, header: string | undefined): string {
  const key = body ?? header;
  if (body !== undefined && header !== undefined && body !== header) {
    throw invalid('idempotency_key', `idempotency_key "${body}" differs from the Idempotency-Key header "${header}"; send one`);
  }
  if (key === undefined || key.trim() === '') {
    throw invalid('idempotency_key', 'idempotency_key is required (in the body or the Idempotency-Key header): a retry with the same key is recognised and sends nothing twice');
  }
  if (key.length > MAX_KEY) throw invalid('idempotency_key', `idempotency_key: at most ${MAX_KEY} characters`);
  return key;
}

async function requireDeclaredType(deps: AppDeps, actor: Actor, type: string): Promise<void> {
  const declared = await deps.store.db.selectFrom('event_types').select('name').where('account_id', '=', actor.accountId).orderBy('name').execute();
  if (!declared.some((t) => t.name === type)) {
    const known = declared.map((t) => t.name);
    throw invalid(
      'type',
      `type "${type}" is not a declared event type; declared: ${known.length ? known.join(', ') : 'none'} (declare it with POST /api/v1/event-types or herald event-types add)`,
      { declared: known },
    );
  }
}

interface CheckedContacts {
  /** Per input: a known id, or the index into `fields`. */
  slots: Array<{ id: number } | { field: number }>;
  fields: ReturnType<typeof checkContactItems>;
  known: Array<{ id: number; index: number }>;
}

function checkContacts(items: readonly Record<string, unknown>[]): CheckedContacts {
  if (items.length > MAX_EVENT_CONTACTS) throw invalid('contacts', `contacts: at most ${MAX_EVENT_CONTACTS} per event`);
  const slots: CheckedContacts['slots'] = [];
  const toWrite: Record<string, unknown>[] = [];
  const writeIndex: number[] = [];
  const known: CheckedContacts['known'] = [];
  items.forEach((item, i) => {
    if (item && typeof item === 'object' && 'id' in item) {
      const extra = Object.keys(item).filter((k) => k !== 'id');
      if (extra.length) throw invalid(`contacts[${i}].${extra[0]}`, `contacts[${i}]: give either {"id"} of a known contact or its fields, not both (found ${extra.join(', ')})`);
      if (!Number.isInteger(item.id) || (item.id as number) < 1) throw invalid(`contacts[${i}].id`, `contacts[${i}].id must be a positive integer`);
      slots.push({ id: item.id as number });
      known.push({ id: item.id as number, index: i });
    } else {
      slots.push({ field: toWrite.length });
      writeIndex.push(i);
      toWrite.push(item);
    }
  });
  let fields: CheckedContacts['fields'] = [];
  try {
    fields = checkContactItems(toWrite);
  } catch (err) {
    // Name the item by its place in the event's list, not in the sub-list of contacts to write.
    if (err instanceof AppError && err.field) {
      const m = /^contacts\[(\d+)\](.*)$/.exec(err.field);
      if (m) {
        const at = `contacts[${writeIndex[Number(m[1])]}]${m[2]}`;
        throw invalid(at, err.message.replace(err.field, at), err.details);
      }
    }
    throw err;
  }
  return { slots, fields, known };
}

async function resolveContacts(trx: Kysely<Database>, deps: AppDeps, accountId: number, c: CheckedContacts, now: string): Promise<number[]> {
  if (c.known.length) {
    const found = await trx.selectFrom('contacts').select('id').where('account_id', '=', accountId).where('id', 'in', c.known.map((k) => k.id)).execute();
    const ids = new Set(found.map((r) => r.id));
    const missing = c.known.find((k) => !ids.has(k.id));
    if (missing) throw new AppError('not_found', `contact ${missing.id} not found`, `contacts[${missing.index}].id`);
  }
  // Upserted in one global order (by address), so that concurrent events naming the same contacts
  // lock their rows in the same order and cannot deadlock on PostgreSQL.
  const order = c.fields.map((_, i) => i);
  const keyOf = (i: number) => c.fields[i].email ?? c.fields[i].phone ?? '';
  order.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : a - b));
  const sortedIds = c.fields.length ? (await writeContacts(trx, deps.store.caps, accountId, order.map((i) => c.fields[i]), now, { wantIds: true })).ids : [];
  const written: number[] = new Array(c.fields.length);
  order.forEach((original, k) => {
    written[original] = sortedIds[k];
  });
  const ids = c.slots.map((s) => ('id' in s ? s.id : written[s.field]));
  return [...new Set(ids)];
}

export async function recordEvent(deps: AppDeps, actor: Actor, input: EventInput, headerKey?: string): Promise<EventResult> {
  const key = idempotencyKeyOf(input.idempotency_key, headerKey);
  if (typeof input.entity !== 'string' || input.entity.trim() === '' || input.entity.length > MAX_ENTITY) {
    throw invalid('entity', `entity is required: the thing the event is about (e.g. "job-42"), at most ${MAX_ENTITY} characters`);
  }
  const data = input.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('data', 'data must be a JSON object');
  const now = deps.clock.now();
  let occurredAt = now;
  if (input.occurred_at !== undefined) {
    occurredAt = new Date(input.occurred_at);
    if (Number.isNaN(occurredAt.getTime())) throw invalid('occurred_at', `occurred_at: "${input.occurred_at}" is not an ISO 8601 time`);
    // A future time would hold the firings until then and keep the entity's state from every real
    // event after it (a later occurred_at wins). Allow the clock skew of the sending system.
    if (occurredAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
      throw invalid('occurred_at', `occurred_at: ${occurredAt.toISOString()} is in the future (it is ${now.toISOString()} here; at most 5 minutes ahead is taken as clock skew)`);
    }
  }
  const hash = payloadHash({ type: input.type, entity: input.entity, data, contacts: input.contacts ?? [], occurred_at: input.occurred_at ?? null });

  const { db } = deps.store;
  const earlier = async (): Promise<EventResult | null> => {
    const row = await db
      .selectFrom('trigger_events')
      .select(['id', 'payload_hash', 'contact_ids'])
      .where('account_id', '=', actor.accountId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    if (row.payload_hash !== hash) {
      throw new AppError('conflict', `idempotency_key "${key}" was used by event ${row.id} with another payload; use a new key for a new event`, 'idempotency_key', { event_id: row.id });
    }
    return { event_id: row.id, duplicate: true, firings_created: 0, matched_campaigns: [], contact_ids: JSON.parse(row.contact_ids) as number[] };
  };
  const seen = await earlier();
  if (seen) return seen;

  await requireDeclaredType(deps, actor, input.type);
  const checked = checkContacts(input.contacts ?? []);
  const nowIso = now.toISOString();
  const occurredIso = occurredAt.toISOString();

  try {
    return await db.transaction().execute(async (trx) => {
      // The key first: a concurrent request with the same key waits here and then finds it taken.
      const inserted = await trx
        .insertInto('trigger_events')
        .values({
          account_id: actor.accountId,
          type: input.type,
          entity: input.entity,
          data: JSON.stringify(data),
          contact_ids: '[]',
          idempotency_key: key,
          payload_hash: hash,
          occurred_at: occurredIso,
          received_at: nowIso,
        })
        .onConflict((oc) => oc.columns(['account_id', 'idempotency_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw new DuplicateKey();
      const eventId = inserted.id;
      const contactIds = await resolveContacts(trx, deps, actor.accountId, checked, nowIso);
      const contactJson = JSON.stringify(contactIds);
      await trx.updateTable('trigger_events').set({ contact_ids: contactJson }).where('id', '=', eventId).execute();

      // The latest state per entity and type; an event that arrives late does not overwrite a newer one.
      await trx
        .insertInto('entity_states')
        .values({ account_id: actor.accountId, entity: input.entity, event_type: input.type, event_id: eventId, data: JSON.stringify(data), contact_ids: contactJson, occurred_at: occurredIso })
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'entity', 'event_type'])
            .doUpdateSet((eb) => ({
              event_id: eb.ref('excluded.event_id'),
              data: eb.ref('excluded.data'),
              contact_ids: eb.ref('excluded.contact_ids'),
              occurred_at: eb.ref('excluded.occurred_at'),
            }))
            .where('entity_states.occurred_at', '<=', occurredIso),
        )
        .execute();

      // A launch of a campaign on this type takes this row FOR UPDATE (activate-trigger.ts): either
      // the launch waits for this event and its catch-up sees it, or this waits for the launch and
      // sees the campaign active. Without it an event during a launch could be missed by both.
      if (deps.store.caps.supportsSkipLocked) {
        await trx.selectFrom('event_types').select('id').where('account_id', '=', actor.accountId).where('name', '=', input.type).forShare().execute();
      }
      const triggers = await trx
        .selectFrom('campaign_triggers')
        .innerJoin('campaigns', 'campaigns.id', 'campaign_triggers.campaign_id')
        .select(['campaign_triggers.campaign_id', 'campaign_triggers.condition', 'campaign_triggers.delay_seconds'])
        .where('campaign_triggers.account_id', '=', actor.accountId)
        .where('campaign_triggers.event_type', '=', input.type)
        .where('campaigns.status', 'in', FIRING_CAMPAIGN_STATUSES)
        .orderBy('campaign_triggers.campaign_id')
        .execute();
      const event = { type: input.type, entity: input.entity, data };
      const matched = triggers.filter((t) => matchesCondition(parseCondition(t.condition), event));
      let created = 0;
      for (const t of matched) {
        created += await insertFirings(trx, {
          accountId: actor.accountId,
          campaignId: t.campaign_id,
          entity: input.entity,
          eventId,
          contactIds,
          source: 'event',
          dueAt: new Date(occurredAt.getTime() + Number(t.delay_seconds) * 1000).toISOString(),
          now: nowIso,
        });
      }
      return { event_id: eventId, duplicate: false, firings_created: created, matched_campaigns: matched.map((t) => t.campaign_id), contact_ids: contactIds };
    });
  } catch (err) {
    if (err instanceof DuplicateKey) {
      const first = await earlier();
      if (first) return first;
    }
    throw err;
  }
}

export interface NewFirings {
  accountId: number;
  campaignId: number;
  entity: string;
  eventId: number;
  contactIds: number[];
  source: 'event' | 'catch_up';
  dueAt: string;
  now: string;
}

/** One firing per contact, except for contacts this campaign already fired (or will fire) for this entity. */
export async function insertFirings(trx: Kysely<Database>, f: NewFirings): Promise<number> {
  let created = 0;
  for (let i = 0; i < f.contactIds.length; i += 500) {
    const rows = f.contactIds.slice(i, i + 500).map((contactId) => ({
      account_id: f.accountId,
      campaign_id: f.campaignId,
      entity: f.entity,
      contact_id: contactId,
      event_id: f.eventId,
      source: f.source,
      due_at: f.dueAt,
      status: 'pending',
      delivery_id: null,
      created_at: f.now,
      fired_at: null,
    }));
    const inserted = await trx
      .insertInto('trigger_firings')
      .values(rows)
      .onConflict((oc) => oc.columns(['campaign_id', 'entity', 'contact_id']).doNothing())
      .returning('id')
      .execute();
    created += inserted.length;
  }
  return created;
}
