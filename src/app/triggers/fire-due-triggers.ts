// The worker step behind triggers: due pending firings become deliveries. Firings of one campaign,
// entity and event go out as one run (one delivery whose explicit audience is their contacts and
// whose template data is the event). Safe with any number of workers: in ONE transaction the run is
// created under the run key "trigger:<smallest firing id>" and the firings move pending → fired
// conditionally; if another worker took any of them first, fewer rows move and the transaction is
// rolled back, so a firing becomes exactly one delivery. Firings of paused campaigns wait; those
// of cancelled campaigns are cancelled.
import { parseAudience } from '../campaigns/campaign-input.ts';
import { createDelivery } from '../deliveries/create-delivery.ts';
import type { AppDeps } from '../deps.ts';
import type { RunContext } from '../templates/render-context.ts';

/** Firings looked at per pass; the rest wait for the next pass (the step reports work, so it comes soon). */
const BATCH = 500;

class TakenByAnotherWorker extends Error {}

export async function fireDueTriggers(deps: AppDeps, now: Date): Promise<number> {
  const { db } = deps.store;
  const nowIso = now.toISOString();
  // A cancelled campaign never sends again: its waiting firings say so instead of lingering.
  const cancelled = await db
    .updateTable('trigger_firings')
    .set({ status: 'cancelled' })
    .where('status', '=', 'pending')
    .where('campaign_id', 'in', db.selectFrom('campaigns').select('id').where('kind', '=', 'triggered').where('status', 'in', ['cancelled', 'completed']))
    .executeTakeFirst();
  let done = Number(cancelled.numUpdatedRows);

  const due = await db
    .selectFrom('trigger_firings')
    .innerJoin('campaigns', 'campaigns.id', 'trigger_firings.campaign_id')
    .select([
      'trigger_firings.id',
      'trigger_firings.account_id',
      'trigger_firings.campaign_id',
      'trigger_firings.entity',
      'trigger_firings.event_id',
      'trigger_firings.contact_id',
      'campaigns.audience',
    ])
    .where('trigger_firings.status', '=', 'pending')
    .where('trigger_firings.due_at', '<=', nowIso)
    .where('campaigns.status', '=', 'active')
    .orderBy('trigger_firings.id')
    .limit(BATCH)
    .execute();

  const groups = new Map<string, typeof due>();
  for (const f of due) {
    const key = `${f.campaign_id}\n${f.event_id}\n${f.entity}`;
    const g = groups.get(key) ?? [];
    g.push(f);
    groups.set(key, g);
  }
  for (const group of groups.values()) {
    const first = group[0];
    const event = await db.selectFrom('trigger_events').select(['type', 'entity', 'data', 'occurred_at']).where('id', '=', first.event_id).executeTakeFirstOrThrow();
    const context: RunContext = { event: { type: event.type, entity: event.entity, data: JSON.parse(event.data) as Record<string, unknown>, occurred_at: event.occurred_at } };
    const ids = group.map((f) => f.id);
    try {
      await db.transaction().execute(async (trx) => {
        // The campaign's contact conditions (segment, exclusions) still apply to these contacts.
        const audience = { ...parseAudience(first.audience), list_ids: [], contact_ids: [...new Set(group.map((f) => f.contact_id))] };
        const run = await createDelivery(trx, {
          accountId: first.account_id,
          campaignId: first.campaign_id,
          scheduledAt: now,
          runKey: `trigger:${Math.min(...ids)}`,
          audience,
          context,
          createdBy: 'trigger',
          now,
        });
        const moved = await trx
          .updateTable('trigger_firings')
          .set({ status: 'fired', delivery_id: run.id, fired_at: nowIso })
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== ids.length) throw new TakenByAnotherWorker();
      });
      done += ids.length;
    } catch (err) {
      if (err instanceof TakenByAnotherWorker) {
        deps.log.debug({ campaignId: first.campaign_id, firings: ids }, 'trigger firings taken by another worker');
        continue;
      }
      throw err;
    }
  }
  return done;
}
