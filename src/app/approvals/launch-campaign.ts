// POST /api/v1/campaigns/:id/launch: the launch button for everyone who builds campaigns (F4.2).
// When the account requires approval, launching a draft becomes a request (anyone with
// campaigns:write may ask). Otherwise launching is starting a delivery, which needs
// deliveries:start: whoever lacks it is told which roles hold it.
import { type CampaignView, loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { sendCampaign } from '../campaigns/send-campaign.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { roleHas, rolesWith } from '../permissions.ts';
import { loadApprovalSettings } from './approval-settings.ts';

export async function launchCampaign(deps: AppDeps, actor: Actor, campaignId: number, options: { at?: string | null } = {}): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  const approval = await loadApprovalSettings(deps, actor.accountId);
  // Under approval a draft's launch is only a request; anything else (moving a scheduled
  // campaign's time, a launch without approval) starts a delivery.
  const onlyAsks = approval.required && (campaign.status === 'draft' || campaign.status === 'awaiting_approval');
  if (!onlyAsks && !roleHas(actor.role, 'deliveries:start')) {
    const roles = rolesWith('deliveries:start');
    throw new AppError(
      'forbidden',
      `launching campaign ${campaignId} starts a delivery, which needs the permission deliveries:start, held by the roles ${roles.join(', ')}; ` +
        `you have the role ${actor.role}. Ask someone with one of those roles to launch it` +
        `${approval.required ? '' : ', or have the account require approval (PUT /api/v1/account/approval {"required": true}) so that your launch becomes a request'}`,
      null,
      { permission: 'deliveries:start', roles },
    );
  }
  return sendCampaign(deps, actor, campaignId, { at: options.at ?? null, via: 'launch' });
}
