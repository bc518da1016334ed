// Reading campaigns: one, or a page of them, as the API shows them.
import type { CampaignRow } from '../../store/schema.ts';
import { type PendingApproval, pendingApproval } from '../approvals/pending-approval.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { type CampaignAudience, type CampaignSettings, parseAudience, parseSettings } from './campaign-input.ts';

export interface CampaignView extends Omit<CampaignRow, 'audience' | 'settings' | 'account_id'> {
  audience: CampaignAudience;
  settings: CampaignSettings;
  current_delivery_id: number | null;
  /** While awaiting_approval: who asked, when, for which send time (F4.2). */
  pending_approval?: PendingApproval | null;
}

export function toCampaignView(row: CampaignRow, currentDeliveryId: number | null): CampaignView {
  const { account_id: _a, audience, settings, ...rest } = row;
  return { ...rest, audience: parseAudience(audience), settings: parseSettings(settings), current_delivery_id: currentDeliveryId };
}

export async function loadCampaignRow(deps: AppDeps, actor: Actor, id: number): Promise<CampaignRow> {
  const row = await deps.store.db
    .selectFrom('campaigns')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', actor.accountId)
    .executeTakeFirst();
  if (!row) throw notFound('campaign', id);
  return row;
}

export async function currentDeliveryId(deps: AppDeps, campaignId: number): Promise<number | null> {
  const d = await deps.store.db
    .selectFrom('deliveries')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return d?.id ?? null;
}

export async function getCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView> {
  const row = await loadCampaignRow(deps, actor, id);
  const view = toCampaignView(row, await currentDeliveryId(deps, id));
  if (row.status === 'awaiting_approval') view.pending_approval = await pendingApproval(deps.store.db, actor.accountId, id);
  return view;
}

export async function listCampaigns(
  deps: AppDeps,
  actor: Actor,
  page: { limit: number; after?: number; status?: string; kind?: string },
): Promise<{ items: CampaignView[]; next_after: number | null }> {
  let q = deps.store.db
    .selectFrom('campaigns')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  if (page.after) q = q.where('id', '<', page.after);
  if (page.status) q = q.where('status', '=', page.status);
  // One-off messages (kind 'message', F0.8) would drown the campaigns; they are listed on request
  // and by GET /api/v1/messages.
  q = page.kind ? q.where('kind', '=', page.kind) : q.where('kind', '!=', 'message');
  const rows = await q.execute();
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  const ids = items.map((r) => r.id);
  const deliveries = ids.length
    ? await deps.store.db
        .selectFrom('deliveries')
        .select(['campaign_id', (eb) => eb.fn.max('id').as('id')])
        .where('campaign_id', 'in', ids)
        .groupBy('campaign_id')
        .execute()
    : [];
  const current = new Map(deliveries.map((d) => [d.campaign_id, Number(d.id)]));
  return {
    items: items.map((r) => toCampaignView(r, current.get(r.id) ?? null)),
    next_after: more ? items[items.length - 1].id : null,
  };
}
