// Reading runs: every delivery of a campaign (a one-off has one; a recurring campaign one per
// occurrence, skipped ones included) with its state and its ledger's counts by status.
import type { DeliveryRow } from '../../store/schema.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';
import { DELIVERY_STATUSES } from '../../core/campaign-lifecycle.ts';

export interface DeliveryView {
  id: number;
  campaign_id: number;
  status: string;
  status_reason: string | null;
  run_key: string | null;
  scheduled_at: string | null;
  prepared_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  /** Ledger rows by message status ({} for a run without a ledger yet, or a skipped run). */
  counts: Record<string, number>;
  total: number;
}

function toView(d: DeliveryRow, counts: Record<string, number>): DeliveryView {
  return {
    id: d.id,
    campaign_id: d.campaign_id,
    status: d.status,
    status_reason: d.status_reason,
    run_key: d.run_key,
    scheduled_at: d.scheduled_at,
    prepared_at: d.prepared_at,
    started_at: d.started_at,
    finished_at: d.finished_at,
    created_by: d.created_by,
    created_at: d.created_at,
    updated_at: d.updated_at,
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
  };
}

async function countsFor(deps: AppDeps, ids: number[]): Promise<Map<number, Record<string, number>>> {
  const out = new Map<number, Record<string, number>>(ids.map((id) => [id, {}]));
  if (ids.length === 0) return out;
  const rows = await deps.store.db
    .selectFrom('messages')
    .select(['delivery_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('delivery_id', 'in', ids)
    .groupBy(['delivery_id', 'status'])
    .execute();
  for (const r of rows) out.get(r.delivery_id)![r.status] = Number(r.n);
  return out;
}

export async function loadDeliveryRow(deps: AppDeps, actor: Actor, id: number): Promise<DeliveryRow> {
  const row = await deps.store.db.selectFrom('deliveries').selectAll().where('id', '=', id).where('account_id', '=', actor.accountId).executeTakeFirst();
  if (!row) throw notFound('delivery', id);
  return row;
}

export async function getDelivery(deps: AppDeps, actor: Actor, id: number): Promise<DeliveryView> {
  const row = await loadDeliveryRow(deps, actor, id);
  return toView(row, (await countsFor(deps, [row.id])).get(row.id)!);
}

/** A campaign's runs, newest first (keyset on id). */
export async function listCampaignDeliveries(
  deps: AppDeps,
  actor: Actor,
  campaignId: number,
  page: { limit: number; before?: number; status?: string },
): Promise<{ items: DeliveryView[]; next_before: number | null }> {
  // the CLI has no schema in front: a typo must not look like "no such runs"
  if (page.status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(page.status)) {
    throw invalid('status', `unknown run status "${page.status}"; one of ${DELIVERY_STATUSES.join(', ')}`);
  }
  await loadCampaignRow(deps, actor, campaignId);
  const rows = await deps.store.db
    .selectFrom('deliveries')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('account_id', '=', actor.accountId)
    .$if(page.before !== undefined, (q) => q.where('id', '<', page.before!))
    .$if(page.status !== undefined, (q) => q.where('status', '=', page.status!))
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit);
  const counts = await countsFor(deps, items.map((d) => d.id));
  return { items: items.map((d) => toView(d, counts.get(d.id)!)), next_before: rows.length > page.limit ? items[items.length - 1].id : null };
}
