// Catch-up (F0.7): a triggered campaign attached or launched after some entities already went into
// the trigger state ("job-42 went for sale yesterday, the campaign was made today") would never
// hear of them. Herald keeps each entity's latest state per event type (entity_states); catch-up
// lists the entities whose latest state matches the trigger's condition and, when asked, creates
// firings for their contacts. Firings are unique per (campaign, entity, contact), so catch-up never
// sends to someone the campaign already reached for that entity, however often it runs; quiet
// hours and limits apply when the messages are dispatched, as for every message.
import type { Kysely } from 'kysely';
import { matchesCondition } from '../../core/triggers/event-condition.ts';
import type { Database } from '../../store/schema.ts';
import type { CampaignTriggerRow } from '../../store/schema-triggers.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { FIRING_CAMPAIGN_STATUSES, insertFirings } from './record-event.ts';
import { parseCondition } from './trigger-settings.ts';

export interface CatchUpEntity {
  entity: string;
  event_id: number;
  occurred_at: string;
  data: Record<string, unknown>;
  contact_ids: number[];
}

const PAGE = 1000;

/** Entities whose latest state of the trigger's type matches its condition, in entity order. */
export async function matchingEntities(db: Kysely<Database>, trigger: CampaignTriggerRow): Promise<CatchUpEntity[]> {
  const condition = parseCondition(trigger.condition);
  const out: CatchUpEntity[] = [];
  let after: string | null = null;
  for (;;) {
    let q = db
      .selectFrom('entity_states')
      .selectAll()
      .where('account_id', '=', trigger.account_id)
      .where('event_type', '=', trigger.event_type)
      .orderBy('entity')
      .limit(PAGE);
    if (after !== null) q = q.where('entity', '>', after);
    const rows = await q.execute();
    for (const r of rows) {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      if (matchesCondition(condition, { type: r.event_type, entity: r.entity, data })) {
        out.push({ entity: r.entity, event_id: r.event_id, occurred_at: r.occurred_at, data, contact_ids: JSON.parse(r.contact_ids) as number[] });
      }
    }
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1].entity;
  }
}

/** Firings (source catch_up) for every matching entity's contacts not yet reached; due now, or after the delay. */
export async function createCatchUpFirings(trx: Kysely<Database>, trigger: CampaignTriggerRow, now: Date): Promise<{ entities: number; firings_created: number }> {
  const entities = await matchingEntities(trx, trigger);
  let created = 0;
  for (const e of entities) {
    const due = Math.max(now.getTime(), Date.parse(e.occurred_at) + Number(trigger.delay_seconds) * 1000);
    created += await insertFirings(trx, {
      accountId: trigger.account_id,
      campaignId: trigger.campaign_id,
      entity: e.entity,
      eventId: e.event_id,
      contactIds: e.contact_ids,
      source: 'catch_up',
      dueAt: new Date(due).toISOString(),
      now: now.toISOString(),
    });
  }
  return { entities: entities.length, firings_created: created };
}

async function loadTrigger(deps: AppDeps, actor: Actor, campaignId: number): Promise<CampaignTriggerRow> {
  await loadCampaignRow(deps, actor, campaignId);
  const t = await deps.store.db.selectFrom('campaign_triggers').selectAll().where('campaign_id', '=', campaignId).where('account_id', '=', actor.accountId).executeTakeFirst();
  if (!t) throw notFound('trigger of campaign', campaignId);
  return t;
}

export interface CatchUpListing {
  campaign_id: number;
  event_type: string;
  catch_up: string;
  entities: Array<CatchUpEntity & { contacts: number; fired: number; pending: number; already_fired: boolean }>;
  /** Contacts a catch-up send would still reach (not yet fired or pending for their entity). */
  contacts_to_send: number;
}

export async function listCatchUp(deps: AppDeps, actor: Actor, campaignId: number): Promise<CatchUpListing> {
  const trigger = await loadTrigger(deps, actor, campaignId);
  const entities = await matchingEntities(deps.store.db, trigger);
  const firings = entities.length
    ? await deps.store.db
        .selectFrom('trigger_firings')
        .select(['entity', 'contact_id', 'status'])
        .where('campaign_id', '=', campaignId)
        .where('account_id', '=', actor.accountId)
        .execute()
    : [];
  const byEntity = new Map<string, Map<number, string>>();
  for (const f of firings) {
    const m = byEntity.get(f.entity) ?? new Map<number, string>();
    m.set(f.contact_id, f.status);
    byEntity.set(f.entity, m);
  }
  let toSend = 0;
  const listed = entities.map((e) => {
    const known = byEntity.get(e.entity) ?? new Map<number, string>();
    const fired = e.contact_ids.filter((id) => known.get(id) === 'fired').length;
    const pending = e.contact_ids.filter((id) => known.get(id) === 'pending').length;
    const reached = e.contact_ids.filter((id) => known.has(id)).length;
    toSend += e.contact_ids.length - reached;
    return { ...e, contacts: e.contact_ids.length, fired, pending, already_fired: e.contact_ids.length > 0 && reached === e.contact_ids.length };
  });
  return { campaign_id: campaignId, event_type: trigger.event_type, catch_up: trigger.catch_up, entities: listed, contacts_to_send: toSend };
}

export async function sendCatchUp(deps: AppDeps, actor: Actor, campaignId: number): Promise<{ campaign_id: number; entities: number; firings_created: number }> {
  const trigger = await loadTrigger(deps, actor, campaignId);
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  if (!FIRING_CAMPAIGN_STATUSES.includes(campaign.status)) {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; catch-up sends for an active or paused triggered campaign (launch it first)`, 'status');
  }
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const r = await createCatchUpFirings(trx, trigger, now);
    await recordAudit({ trx, now: now.toISOString() }, actor, 'campaign.catch_up', `campaign:${campaignId}`, r);
    return { campaign_id: campaignId, ...r };
  });
}
