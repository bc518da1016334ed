// Launch: a campaign is sent now or scheduled for a time. Either way a delivery (one run of the
// campaign, with its own ledger) is created in `scheduled`; a worker claims it when it is due,
// prepares the ledger and sends. A launch with a blocking pre-flight item is refused with the
// whole checklist (src/app/explain/preflight.ts).
import { canCampaign, allowedFrom } from '../../core/campaign-lifecycle.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { preflightCampaign } from '../explain/preflight.ts';
import { createDelivery } from '../deliveries/create-delivery.ts';
import { type CampaignView, getCampaign, loadCampaignRow } from './read-campaigns.ts';

export async function sendCampaign(deps: AppDeps, actor: Actor, id: number, options: { at?: string | null } = {}): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, id);
  const now = deps.clock.now();
  let at = now;
  if (options.at) {
    at = new Date(options.at);
    if (Number.isNaN(at.getTime())) throw new AppError('invalid_input', `at: "${options.at}" is not an ISO 8601 time`, 'at');
  }
  const scheduling = at.getTime() > now.getTime();
  if (!canCampaign(scheduling ? 'schedule' : 'send', campaign.status)) {
    throw new AppError(
      'invalid_state',
      `campaign ${id} is ${campaign.status}; it can be sent from ${allowedFrom('send').join(' or ')}`,
      'status',
    );
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

  const nowIso = now.toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    if (existing) {
      await trx.updateTable('deliveries').set({ scheduled_at: at.toISOString(), updated_at: nowIso }).where('id', '=', existing.id).execute();
    } else {
      await createDelivery(trx, { accountId: actor.accountId, campaignId: id, scheduledAt: at, createdBy: actor.label, now });
    }
    await trx
      .updateTable('campaigns')
      .set({ status: scheduling ? 'scheduled' : 'sending', scheduled_at: at.toISOString(), updated_at: nowIso })
      .where('id', '=', id)
      .where('account_id', '=', actor.accountId)
      .execute();
  });
  return getCampaign(deps, actor, id);
}
