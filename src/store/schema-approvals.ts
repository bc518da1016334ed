// Kysely table types of approvals (F4.2). Conventions: see schema.ts.
import type { Generated, Selectable } from 'kysely';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface CampaignApprovalsTable {
  id: Generated<number>;
  account_id: number;
  campaign_id: number;
  /** Actor label of whoever launched ("user:7", "api_key:3", "cli"). */
  requested_by: string;
  requested_at: string;
  /** The launch time asked for; null: as soon as it is approved. */
  send_at: string | null;
  status: Generated<string>;
  decided_by: string | null;
  decided_at: string | null;
  /** The approver's or rejecter's comment (required for a rejection). */
  comment: string | null;
}

export interface ApprovalTables {
  campaign_approvals: CampaignApprovalsTable;
}

export type CampaignApprovalRow = Selectable<CampaignApprovalsTable>;
