// Declared event types. An event's type must be declared first, so that a typo in an integration
// ("job.status_chnaged") is refused with the list of known types instead of being stored and
// silently firing nothing. A type in use by a campaign's trigger cannot be removed.
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid, notFound } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';

export interface EventTypeView {
  id: number;
  name: string;
  description: string | null;
  created_at: string;
  /** Campaigns whose trigger listens to this type. */
  campaign_ids: number[];
}

export const EVENT_TYPE_NAME = /^[a-z][a-z0-9_.:-]{0,99}$/i;

export function checkEventTypeName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !EVENT_TYPE_NAME.test(name)) {
    throw invalid(field, `${field}: ${JSON.stringify(name ?? null)} is not an event type name; use letters, digits and . _ : - (e.g. "job.status_changed"), starting with a letter, at most 100 characters`);
  }
  return name;
}

export async function listEventTypes(deps: AppDeps, actor: Actor): Promise<EventTypeView[]> {
  const { db } = deps.store;
  const rows = await db.selectFrom('event_types').selectAll().where('account_id', '=', actor.accountId).orderBy('name').execute();
  const uses = await db.selectFrom('campaign_triggers').select(['event_type', 'campaign_id']).where('account_id', '=', actor.accountId).orderBy('campaign_id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    created_at: r.created_at,
    campaign_ids: uses.filter((u) => u.event_type === r.name).map((u) => u.campaign_id),
  }));
}

export async function declareEventType(deps: AppDeps, actor: Actor, input: { name: string; description?: string | null }): Promise<EventTypeView> {
  const name = checkEventTypeName(input.name);
  const description = input.description?.trim() || null;
  if (description && description.length > 500) throw invalid('description', 'description: at most 500 characters');
  const now = deps.clock.now().toISOString();
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('event_types').values({ account_id: actor.accountId, name, description, created_at: now }).execute();
      await recordAudit({ trx, now }, actor, 'event_type.declare', `event_type:${name}`, { description });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `event type "${name}" is already declared`, 'name');
    throw err;
  }
  const view = (await listEventTypes(deps, actor)).find((t) => t.name === name);
  if (!view) throw notFound('event type', name, 'name');
  return view;
}

/** By id or by name; refused while a campaign's trigger uses the type. */
export async function removeEventType(deps: AppDeps, actor: Actor, idOrName: number | string): Promise<void> {
  const { db } = deps.store;
  let q = db.selectFrom('event_types').selectAll().where('account_id', '=', actor.accountId);
  q = typeof idOrName === 'number' ? q.where('id', '=', idOrName) : q.where('name', '=', idOrName);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('event type', idOrName, typeof idOrName === 'number' ? 'id' : 'name');
  const users = await db.selectFrom('campaign_triggers').select('campaign_id').where('account_id', '=', actor.accountId).where('event_type', '=', row.name).execute();
  if (users.length) {
    throw new AppError(
      'conflict',
      `event type "${row.name}" is used by the trigger of campaign ${users.map((u) => u.campaign_id).join(', ')}; remove those triggers first`,
      'name',
      { campaign_ids: users.map((u) => u.campaign_id) },
    );
  }
  const now = deps.clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('event_types').where('id', '=', row.id).where('account_id', '=', actor.accountId).execute();
    await recordAudit({ trx, now }, actor, 'event_type.remove', `event_type:${row.name}`, {});
  });
}
