// Closing a pending launch request without a launch (rejected by an approver, withdrawn by the
// requester or an editor): the request moves only from pending, the campaign only from
// awaiting_approval back to draft, and the audit line is written with them — all in the caller's
// transaction, so two people closing the same request at once cannot both succeed.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor } from '../deps.ts';
import { moveCampaign, raced } from '../campaigns/move-campaign.ts';

export async function returnRequestToDraft(
  trx: Kysely<Database>,
  args: {
    actor: Actor;
    campaignId: number;
    approvalId: number;
    outcome: 'rejected' | 'withdrawn';
    comment?: string | null;
    now: string;
    audit: Record<string, unknown>;
  },
): Promise<void> {
  const { actor, campaignId, outcome, now } = args;
  const closed = await trx
    .updateTable('campaign_approvals')
    .set({ status: outcome, decided_by: actor.label, decided_at: now, ...(args.comment !== undefined ? { comment: args.comment } : {}) })
    .where('id', '=', args.approvalId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(closed.numUpdatedRows) === 0) throw raced(campaignId, outcome);
  await moveCampaign(trx, { campaignId, accountId: actor.accountId, from: ['awaiting_approval'], set: { status: 'draft', updated_at: now }, doing: outcome });
  await recordAudit({ trx, now }, actor, `campaign.${outcome}`, `campaign:${campaignId}`, { approval_id: args.approvalId, ...args.audit });
}
