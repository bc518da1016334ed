// Approving a launch (F4.2). Whoever calls this holds deliveries:start (the route checks it). Under
// four-eyes the approver is neither the campaign's author nor the requester. The pre-flight runs
// again (a sender domain or the billing state may have changed while the campaign waited), then the
// request is closed and the campaign started in one transaction, with its audit line: the request
// moves only from pending, so of two approvers racing one wins and the other is told it changed.
import { fourEyesConflict } from '../../core/approval-rules.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getCampaign, loadCampaignRow, type CampaignView } from '../campaigns/read-campaigns.ts';
import { startCampaign } from '../campaigns/start-campaign.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { notify } from '../notifications/notify.ts';
import { rolesWith } from '../permissions.ts';
import { loadApprovalSettings } from './approval-settings.ts';
import { assertPreflightReady } from './launch-checks.ts';
import { raced } from '../campaigns/move-campaign.ts';
import { pendingApprovalOf } from './pending-approval.ts';
import { personOf } from './person-of.ts';

export async function approveCampaign(deps: AppDeps, actor: Actor, campaignId: number, input: { comment?: string | null } = {}): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const pending = campaign.status === 'awaiting_approval' ? await pendingApprovalOf(deps.store.db, actor.accountId, campaignId) : null;
  if (!pending) {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; only a campaign awaiting approval can be approved`, 'status');
  }

  const settings = await loadApprovalSettings(deps, actor.accountId);
  // People, not credentials: an API key made by a user stands for that user.
  const { db } = deps.store;
  const approver = await personOf(db, actor.accountId, actor.label);
  const requester = await personOf(db, actor.accountId, pending.requested_by);
  const author = campaign.created_by ? await personOf(db, actor.accountId, campaign.created_by) : null;
  const conflict = fourEyesConflict(settings, { approver, requester, author });
  if (conflict) {
    const acting = approver !== actor.label ? ` acting for ${approver}` : '';
    throw new AppError(
      'forbidden',
      `four-eyes is on for this account: campaign ${campaignId} was written by ${campaign.created_by ?? 'unknown'} and its launch requested by ` +
        `${pending.requested_by}, and you (${actor.label}${acting}) are its ${conflict.as}; someone else with deliveries:start ` +
        `(roles ${rolesWith('deliveries:start').join(', ')}) must approve it`,
      'approver',
      { four_eyes: true, author: campaign.created_by, requested_by: pending.requested_by, approver: actor.label, approver_person: approver },
    );
  }

  const now = deps.clock.now();
  // A requested time that passed while the campaign waited means: now.
  const requested = pending.send_at ? new Date(pending.send_at) : null;
  const at = requested && requested.getTime() > now.getTime() ? requested : now;
  await assertPreflightReady(deps, actor, campaignId, at, 'approved');

  const nowIso = now.toISOString();
  const comment = input.comment?.trim() || null;
  await deps.store.db.transaction().execute(async (trx) => {
    const closed = await trx
      .updateTable('campaign_approvals')
      .set({ status: 'approved', decided_by: actor.label, decided_at: nowIso, comment })
      .where('id', '=', pending.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) === 0) throw raced(campaignId, 'approved');
    const still = await trx
      .updateTable('campaigns')
      .set({ updated_at: nowIso })
      .where('id', '=', campaignId)
      .where('account_id', '=', actor.accountId)
      .where('status', '=', 'awaiting_approval')
      .executeTakeFirst();
    if (Number(still.numUpdatedRows) === 0) throw raced(campaignId, 'approved');

    await startCampaign({ deps, trx, actor, campaign, at, now });

    const started = await trx.selectFrom('campaigns').select('status').where('id', '=', campaignId).executeTakeFirstOrThrow();
    const outcome = started.status === 'scheduled' ? `is scheduled for ${at.toISOString()}` : started.status === 'sending' ? 'is sending now' : `is ${started.status}`;
    await recordAudit({ trx, now: nowIso }, actor, 'campaign.approved', `campaign:${campaignId}`, {
      approval_id: pending.id,
      requested_by: pending.requested_by,
      send_at: pending.send_at,
      at: at.toISOString(),
      status: started.status,
      comment,
    });
    await notify(
      deps,
      {
        accountId: actor.accountId,
        kind: 'approval_given',
        title: `Campaign "${campaign.name}" approved`,
        body: `${actor.label} approved campaign "${campaign.name}" at ${nowIso} (requested by ${pending.requested_by}); it ${outcome}.${comment ? ` Comment: ${comment}` : ''}`,
        data: { campaign_id: campaignId, approval_id: pending.id, approved_by: actor.label, requested_by: pending.requested_by, at: at.toISOString(), status: started.status, comment },
        subject: { type: 'campaign', id: campaignId },
        dedupeKey: `approval_given:${pending.id}`,
      },
      trx,
    );
  });
  return getCampaign(deps, actor, campaignId);
}
