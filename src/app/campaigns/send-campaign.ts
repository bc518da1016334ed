// Launch: a campaign is sent now or scheduled for a time. For a one-off campaign a delivery (one
// run, with its own ledger) is created in `scheduled`; a worker claims it when it is due, prepares
// the ledger and sends. Recurring and triggered campaigns become active (start-campaign.ts). A launch with a blocking pre-flight item is refused with the
// whole checklist (src/app/explain/preflight.ts).
import { canCampaign, allowedFrom } from '../../core/campaign-lifecycle.ts';
import { loadApprovalSettings } from '../approvals/approval-settings.ts';
import { requestApproval } from '../approvals/request-approval.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { preflightCampaign } from '../explain/preflight.ts';
import { startCampaign } from './start-campaign.ts';
import { parseSendTime } from '../schedules/parse-send-time.ts';
import { type CampaignView, getCampaign, loadCampaignRow } from './read-campaigns.ts';

// `via`: which call launched it (POST …/send or …/launch), for the audit log.
export async function sendCampaign(deps: AppDeps, actor: Actor, id: number, options: { at?: string | null; via?: 'send' | 'launch' } = {}): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, id);
  const now = deps.clock.now();
  let at = now;
  if (options.at) at = await parseSendTime(deps, actor, options.at, now);
  const scheduling = at.getTime() > now.getTime();
  if (!canCampaign(scheduling ? 'schedule' : 'send', campaign.status)) {
    throw new AppError(
      'invalid_state',
      `campaign ${id} is ${campaign.status}; it can be sent from ${allowedFrom('send').join(' or ')}`,
      'status',
    );
  }

  // F4.2: when the account requires approval, launching a draft asks for it instead (src/app/approvals/).
  if (campaign.status === 'draft' && (await loadApprovalSettings(deps, actor.accountId)).required) {
    return requestApproval(deps, actor, id, { at: options.at ? at : null, via: options.via ?? 'send' });
  }

  // The pre-flight checklist decides: any blocking item refuses the launch, with the checklist.
  const preflight = await preflightCampaign(deps, actor, id, { at });
  if (!preflight.ready) {
    const blocking = preflight.items.filter((i) => i.status === 'blocking');
    throw new AppError(
      'preflight_failed',
      `campaign ${id} cannot be launched: ${blocking.map((i) => `${i.title}: ${i.detail}`).join('; ')}`,
      blocking[0].id,
      preflight,
    );
  }

  await deps.store.db.transaction().execute(async (trx) => {
    await startCampaign({ deps, trx, actor, campaign, at, now });
    await recordAudit({ trx, now: now.toISOString() }, actor, `campaign.${options.via ?? 'send'}`, `campaign:${id}`, { at: at.toISOString(), scheduled: scheduling });
  });
  return getCampaign(deps, actor, id);
}
