// Creating a delivery (one run of a campaign, with its own ledger and KPIs). Every way a run comes
// to be goes through here: a launch, a recurring occurrence, a trigger firing, a one-off message.
// A run key makes creation idempotent: two workers (or a retried request) that create the same
// run get the same delivery, because (campaign_id, run_key) is unique.
import type { Kysely } from 'kysely';
import type { DeliveryStatus } from '../../core/campaign-lifecycle.ts';
import type { Database } from '../../store/schema.ts';
import type { CampaignAudience } from '../campaigns/campaign-input.ts';
import type { RunContext } from '../templates/render-context.ts';

export interface NewDelivery {
  accountId: number;
  campaignId: number;
  /** When the run is due (the worker prepares it then). */
  scheduledAt: Date;
  /** `scheduled` (default) or `awaiting_confirmation` (a recurring run that asks first). */
  status?: Extract<DeliveryStatus, 'scheduled' | 'awaiting_confirmation' | 'skipped'>;
  /** Unique per campaign: "cron:<occurrence ISO>", "trigger:<firing id>", "message". Null: a plain launch. */
  runKey?: string | null;
  /** This run's own recipients (contact_ids), over the campaign's audience. */
  audience?: CampaignAudience | null;
  /** What the template sees of this run (event, data). */
  context?: RunContext | null;
  statusReason?: string | null;
  /** Actor label of whoever (or whatever: "scheduler", "trigger") made the run. */
  createdBy: string;
  now: Date;
}

/** Inserts the run, or finds it when its run key exists already. `created` says which. */
export async function createDelivery(db: Kysely<Database>, d: NewDelivery): Promise<{ id: number; created: boolean }> {
  const nowIso = d.now.toISOString();
  const values = {
    account_id: d.accountId,
    campaign_id: d.campaignId,
    status: d.status ?? 'scheduled',
    scheduled_at: d.scheduledAt.toISOString(),
    prepared_at: null,
    started_at: null,
    finished_at: d.status === 'skipped' ? nowIso : null,
    status_reason: d.statusReason ?? null,
    run_key: d.runKey ?? null,
    audience: d.audience ? JSON.stringify(d.audience) : null,
    context: d.context && Object.keys(d.context).length ? JSON.stringify(d.context) : null,
    created_by: d.createdBy,
    created_at: nowIso,
    updated_at: nowIso,
  };
  if (d.runKey == null) {
    const row = await db.insertInto('deliveries').values(values).returning('id').executeTakeFirstOrThrow();
    return { id: row.id, created: true };
  }
  const inserted = await db
    .insertInto('deliveries')
    .values(values)
    .onConflict((oc) => oc.columns(['campaign_id', 'run_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('deliveries')
    .select('id')
    .where('campaign_id', '=', d.campaignId)
    .where('run_key', '=', d.runKey)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
