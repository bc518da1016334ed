// Rejecting a launch (F4.2): the request is closed with the approver's reason (required: the
// author needs to know what to change) and the campaign goes back to draft, with its audit line
// and a notification, in one transaction; only from pending, so a racing approval wins or loses cleanly.
import { getCampaign, loadCampaignRow, type CampaignView } from '../campaigns/read-campaigns.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { notify } from '../notifications/notify.ts';
import { returnRequestToDraft } from './return-to-draft.ts';
import { pendingApprovalOf } from './pending-approval.ts';

export async function rejectCampaign(deps: AppDeps, actor: Actor, campaignId: number, input: { comment?: string | null }): Promise<CampaignView> {
  const comment = input.comment?.trim() ?? '';
  if (!comment) throw invalid('comment', 'comment: say why the campaign is rejected (the author reads it)');
  if (comment.length > 2000) throw invalid('comment', `comment: at most 2000 characters, got ${comment.length}`);
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const pending = campaign.status === 'awaiting_approval' ? await pendingApprovalOf(deps.store.db, actor.accountId, campaignId) : null;
  if (!pending) {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; only a campaign awaiting approval can be rejected`, 'status');
  }
  const nowIso = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    await returnRequestToDraft(trx, { actor, campaignId, approvalId: pending.id, outcome: 'rejected', comment, now: nowIso, audit: { requested_by: pending.requested_by, comment } });
    await notify(
      deps,
      {
        accountId: actor.accountId,
        kind: 'approval_rejected',
        title: `Campaign "${campaign.name}" was rejected`,
        body: `${actor.label} rejected campaign "${campaign.name}" at ${nowIso} (requested by ${pending.requested_by}); it is a draft again. Reason: ${comment}`,
        data: { campaign_id: campaignId, approval_id: pending.id, rejected_by: actor.label, requested_by: pending.requested_by, comment },
        subject: { type: 'campaign', id: campaignId },
        dedupeKey: `approval_rejected:${pending.id}`,
      },
      trx,
    );
  });
  return getCampaign(deps, actor, campaignId);
}
