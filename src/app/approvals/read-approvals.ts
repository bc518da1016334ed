// Reading approvals: a campaign's history (every request and its outcome) and the account's queue
// (the dashboard's "waiting for approval"). The pending request alone: pending-approval.ts.
import type { ApprovalStatus, CampaignApprovalRow } from '../../store/schema-approvals.ts';
import { loadCampaignRow } from '../campaigns/read-campaigns.ts';
import type { Actor, AppDeps } from '../deps.ts';

export const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'withdrawn'];

export interface ApprovalView {
  id: number;
  campaign_id: number;
  status: string;
  requested_by: string;
  requested_at: string;
  /** The launch time asked for; null: as soon as it is approved. */
  send_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  comment: string | null;
}

export interface QueuedApproval extends ApprovalView {
  campaign: { id: number; name: string; kind: string; status: string; created_by: string | null };
}

export function toApprovalView(row: CampaignApprovalRow): ApprovalView {
  const { account_id: _a, ...rest } = row;
  return rest;
}

/** Every request of one campaign, oldest first. */
export async function listCampaignApprovals(deps: AppDeps, actor: Actor, campaignId: number): Promise<{ items: ApprovalView[] }> {
  await loadCampaignRow(deps, actor, campaignId);
  const rows = await deps.store.db
    .selectFrom('campaign_approvals')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .where('campaign_id', '=', campaignId)
    .orderBy('id')
    .execute();
  return { items: rows.map(toApprovalView) };
}

/** The account's requests (by default all; `status: 'pending'` is the approval queue), oldest first. */
export async function listApprovals(
  deps: AppDeps,
  actor: Actor,
  query: { status?: string; after?: number; limit?: number },
): Promise<{ items: QueuedApproval[]; next_after: number | null }> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let q = deps.store.db
    .selectFrom('campaign_approvals as a')
    .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
    .selectAll('a')
    .select(['c.name as campaign_name', 'c.kind as campaign_kind', 'c.status as campaign_status', 'c.created_by as campaign_created_by'])
    .where('a.account_id', '=', actor.accountId)
    .where('c.account_id', '=', actor.accountId)
    .orderBy('a.id')
    .limit(limit + 1);
  if (query.status) q = q.where('a.status', '=', query.status);
  if (query.after !== undefined) q = q.where('a.id', '>', query.after);
  const rows = await q.execute();
  const items = rows.slice(0, limit).map(({ campaign_name, campaign_kind, campaign_status, campaign_created_by, ...row }) => ({
    ...toApprovalView(row),
    campaign: { id: row.campaign_id, name: campaign_name, kind: campaign_kind, status: campaign_status, created_by: campaign_created_by },
  }));
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
