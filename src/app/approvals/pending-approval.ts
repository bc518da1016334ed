// A campaign's open launch request (at most one: a unique index), for the approval use cases and
// for the campaign view (the dashboard shows who asked, when, and for which send time).
import type { Kysely } from 'kysely';
import type { CampaignApprovalRow } from '../../store/schema-approvals.ts';
import type { Database } from '../../store/schema.ts';

export interface PendingApproval {
  id: number;
  requested_by: string;
  requested_at: string;
  /** The launch time asked for; null: as soon as it is approved. */
  send_at: string | null;
}

export async function pendingApprovalOf(db: Kysely<Database>, accountId: number, campaignId: number): Promise<CampaignApprovalRow | null> {
  const row = await db
    .selectFrom('campaign_approvals')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row ?? null;
}

export async function pendingApproval(db: Kysely<Database>, accountId: number, campaignId: number): Promise<PendingApproval | null> {
  const row = await pendingApprovalOf(db, accountId, campaignId);
  return row ? { id: row.id, requested_by: row.requested_by, requested_at: row.requested_at, send_at: row.send_at } : null;
}
