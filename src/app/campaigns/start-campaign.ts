// What a launch does once it is allowed (pre-flight passed, approval given where required),
// by kind: a one-off campaign gets its delivery; a recurring campaign's schedule and a triggered
// campaign's trigger become active. Runs in the launch's transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { CampaignRow } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { createDelivery } from '../deliveries/create-delivery.ts';
import { activateSchedule } from '../schedules/activate-schedule.ts';
import { activateTrigger } from '../triggers/activate-trigger.ts';

export interface StartArgs {
  deps: AppDeps;
  trx: Kysely<Database>;
  actor: Actor;
  campaign: CampaignRow;
  /** When the launch asked for it (a one-off's send time; a schedule's earliest start). */
  at: Date;
  now: Date;
}

export async function startCampaign(args: StartArgs): Promise<void> {
  const { trx, actor, campaign, at, now } = args;
  const nowIso = now.toISOString();
  switch (campaign.kind) {
    case 'recurring':
      return activateSchedule(args);
    case 'triggered':
      return activateTrigger(args);
    case 'one-off':
    case 'message': {
      const scheduling = at.getTime() > now.getTime();
      const existing = await trx
        .selectFrom('deliveries')
        .select('id')
        .where('campaign_id', '=', campaign.id)
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      if (existing) {
        await trx.updateTable('deliveries').set({ scheduled_at: at.toISOString(), updated_at: nowIso }).where('id', '=', existing.id).execute();
      } else {
        await createDelivery(trx, { accountId: campaign.account_id, campaignId: campaign.id, scheduledAt: at, createdBy: actor.label, now });
      }
      await trx
        .updateTable('campaigns')
        .set({ status: scheduling ? 'scheduled' : 'sending', scheduled_at: at.toISOString(), updated_at: nowIso })
        .where('id', '=', campaign.id)
        .where('account_id', '=', campaign.account_id)
        .execute();
      return;
    }
    default:
      throw new AppError('invalid_state', `campaign ${campaign.id} has an unknown kind "${campaign.kind}"`, 'kind');
  }
}
