// A launch under the account's approval rule (F4.2): the campaign must be launchable (a draft whose
// pre-flight passes, as for sendCampaign); it moves to awaiting_approval with one pending request
// that says who asked, when, and for which send time. Everyone who may approve is notified.
import { recordAudit } from '../audit/record-audit.ts';
import { type CampaignView, getCampaign, loadCampaignRow } from '../campaigns/read-campaigns.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { notify } from '../notifications/notify.ts';
import { rolesWith } from '../permissions.ts';
import { loadApprovalSettings } from './approval-settings.ts';
import { assertPreflightReady } from './launch-checks.ts';
import { pendingApprovalOf } from './pending-approval.ts';
import { moveCampaign, raced } from '../campaigns/move-campaign.ts';

export interface LaunchOutcome extends CampaignView {
  /** Set when the launch became a request: what happens next, in one sentence. */
  notice?: string;
}

export async function requestApproval(
  deps: AppDeps,
  actor: Actor,
  campaignId: number,
  options: { at?: Date | null; via?: 'send' | 'launch' } = {},
): Promise<LaunchOutcome> {
  const campaign = await loadCampaignRow(deps, actor, campaignId);
  if (campaign.status === 'awaiting_approval') {
    const pending = await pendingApprovalOf(deps.store.db, actor.accountId, campaignId);
    throw new AppError(
      'invalid_state',
      `campaign ${campaignId} already awaits approval${pending ? ` (requested by ${pending.requested_by} at ${pending.requested_at})` : ''}; withdraw that request to launch it differently`,
      'status',
    );
  }
  if (campaign.status !== 'draft') {
    throw new AppError('invalid_state', `campaign ${campaignId} is ${campaign.status}; a launch that needs approval works from draft`, 'status');
  }
  const now = deps.clock.now();
  const at = options.at ?? null;
  await assertPreflightReady(deps, actor, campaignId, at ?? now, 'launched');

  const nowIso = now.toISOString();
  const settings = await loadApprovalSettings(deps, actor.accountId);
  const approvers = rolesWith('deliveries:start');
  const when = at && at.getTime() > now.getTime() ? `at ${at.toISOString()}` : 'as soon as it is approved';
  let approvalId = 0;
  try {
    await deps.store.db.transaction().execute(async (trx) => {
      await moveCampaign(trx, { campaignId, accountId: actor.accountId, from: ['draft'], set: { status: 'awaiting_approval', updated_at: nowIso }, doing: 'launched' });
      const row = await trx
        .insertInto('campaign_approvals')
        .values({
          account_id: actor.accountId,
          campaign_id: campaignId,
          requested_by: actor.label,
          requested_at: nowIso,
          send_at: at ? at.toISOString() : null,
          status: 'pending',
          decided_by: null,
          decided_at: null,
          comment: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      approvalId = row.id;
      await recordAudit({ trx, now: nowIso }, actor, 'campaign.approval_requested', `campaign:${campaignId}`, {
        approval_id: approvalId,
        send_at: at ? at.toISOString() : null,
        via: options.via ?? 'launch',
        author: campaign.created_by,
      });
      await notify(
        deps,
        {
          accountId: actor.accountId,
          kind: 'approval_requested',
          title: `Campaign "${campaign.name}" awaits approval`,
          body:
            `${actor.label} asked at ${nowIso} to send campaign "${campaign.name}" (${campaign.kind}) ${when}. ` +
            `Someone with deliveries:start (roles ${approvers.join(', ')})` +
            `${settings.four_eyes ? `, other than the author (${campaign.created_by ?? 'unknown'}) and the requester,` : ''} can approve or reject it.`,
          data: {
            campaign_id: campaignId,
            approval_id: approvalId,
            requested_by: actor.label,
            requested_at: nowIso,
            send_at: at ? at.toISOString() : null,
            author: campaign.created_by,
            four_eyes: settings.four_eyes,
          },
          subject: { type: 'campaign', id: campaignId },
          dedupeKey: `approval_requested:${approvalId}`,
        },
        trx,
      );
    });
  } catch (err) {
    // Two launches at once: the one-pending-request index lets one in.
    if (isUniqueViolation(err)) throw raced(campaignId, 'launched');
    throw err;
  }
  const view = await getCampaign(deps, actor, campaignId);
  return {
    ...view,
    notice:
      `campaign ${campaignId} awaits approval: this account requires approval before a launch. ` +
      `Someone with deliveries:start (roles ${approvers.join(', ')})` +
      `${settings.four_eyes ? ` other than ${campaign.created_by === actor.label ? `${actor.label} (its author and requester)` : `the author (${campaign.created_by ?? 'unknown'}) and the requester (${actor.label})`}` : ''}` +
      ` approves it with POST /api/v1/campaigns/${campaignId}/approve; it then sends ${when}.`,
  };
}
