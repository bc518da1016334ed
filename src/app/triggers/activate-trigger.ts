// Launching a triggered campaign (after pre-flight, in the launch's transaction): it becomes
// `active`, so events of its type fire it from now on. With catch_up 'send' the entities already
// in the trigger state get their firings at once (F0.7); with 'list' they wait to be looked at
// (GET /campaigns/:id/catch-up) and sent on request (POST /campaigns/:id/catch-up).
import type { StartArgs } from '../campaigns/start-campaign.ts';
import { AppError } from '../errors.ts';
import { parseAudience } from '../campaigns/campaign-input.ts';
import { createCatchUpFirings } from './catch-up.ts';
import { listsOnTriggeredCampaign } from './set-trigger.ts';
import { moveCampaign } from '../campaigns/move-campaign.ts';

export async function activateTrigger(args: StartArgs): Promise<void> {
  const { trx, campaign, now } = args;
  const trigger = await trx.selectFrom('campaign_triggers').selectAll().where('campaign_id', '=', campaign.id).where('account_id', '=', campaign.account_id).executeTakeFirst();
  if (!trigger) {
    throw new AppError('invalid_state', `campaign ${campaign.id} is triggered but has no trigger; set one with PUT /api/v1/campaigns/${campaign.id}/trigger`, 'trigger');
  }
  const listIds = parseAudience(campaign.audience).list_ids;
  if (listIds.length) throw listsOnTriggeredCampaign(campaign.id, listIds);
  // Events of this type hold the type's row FOR SHARE while they look for campaigns to fire
  // (record-event.ts): taking it here orders this launch and every concurrent event, so an event is
  // either fired by the now active campaign or seen by the catch-up below. (PostgreSQL; SQLite has one writer.)
  if (args.deps.store.caps.supportsSkipLocked) {
    await trx.selectFrom('event_types').select('id').where('account_id', '=', campaign.account_id).where('name', '=', trigger.event_type).forUpdate().execute();
  }
  await moveCampaign(trx, { campaignId: campaign.id, accountId: campaign.account_id, from: [campaign.status], set: { status: 'active', scheduled_at: null, updated_at: now.toISOString() }, doing: 'launched' });
  if (trigger.catch_up === 'send') await createCatchUpFirings(trx, trigger, now);
}
