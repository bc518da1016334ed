// Withdrawing a launch request: the requester changed their mind, or an editor wants the draft
// back to change it. The requester or anyone who may edit campaigns (campaigns:write) can; the
// campaign goes back to draft with its audit line, in one transaction, only from pending.
import { getCampaign, loadCampaignRow, type CampaignView } from '../campaigns/read-campaigns.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { roleHas, rolesWith } from '../permissions.ts';
import { returnRequestToDraft } from './return-to-draft.ts';
import { pendingApprovalOf } from './pending-approval.ts';

export async function withdrawApproval(deps: AppDeps, actor: Actor, campaignId: number): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const pending = campaign.status === 'awaiting_approval' ? await pendingApprovalOf(deps.store.db, actor.accountId, campaignId) : null;
  if (!pending) {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; there is no launch request to withdraw`, 'status');
  }
  if (actor.label !== pending.requested_by && !roleHas(actor.role, 'campaigns:write')) {
    throw new AppError(
      'forbidden',
      `only the requester (${pending.requested_by}) or a role with campaigns:write (${rolesWith('campaigns:write').join(', ')}) can withdraw this launch request; you are ${actor.label} with the role ${actor.role}`,
      null,
      { permission: 'campaigns:write', roles: rolesWith('campaigns:write'), requested_by: pending.requested_by },
    );
  }
  const nowIso = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    await returnRequestToDraft(trx, { actor, campaignId, approvalId: pending.id, outcome: 'withdrawn', now: nowIso, audit: { requested_by: pending.requested_by } });
  });
  return getCampaign(deps, actor, campaignId);
}
