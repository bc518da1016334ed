// Pause, resume and cancel, in the middle of a send. Workers look at the delivery's state between
// chunks, so a pause takes effect within one chunk; nothing already handed off is touched.
// A recurring or triggered campaign is paused as a whole: its schedule or trigger stops firing and
// its runs in progress pause with it; resume and cancel likewise act on the campaign and its runs.
import { allowedFrom, campaignFollowsDelivery, canCampaign, type CampaignAction, type DeliveryStatus } from '../../core/campaign-lifecycle.ts';
import { cancelOpenMessages } from '../../store/queries/ledger.ts';
import type { Kysely } from 'kysely';
import type { CampaignRow, Database } from '../../store/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { moveDelivery } from '../deliveries/delivery-status.ts';
import { rescheduleAfterPause } from '../schedules/resume-schedule.ts';
import { type CampaignView, currentDeliveryId, getCampaign, loadCampaignRow } from './read-campaigns.ts';
import { moveCampaign, raced } from './move-campaign.ts';

async function currentDelivery(deps: AppDeps, actor: Actor, id: number, action: CampaignAction) {
  const campaign = await loadCampaignRow(deps, actor, id);
  if (!canCampaign(action, campaign.status)) {
    throw new AppError('invalid_state', `campaign ${id} is ${campaign.status}; ${action} works from ${allowedFrom(action).join(' or ')}`, 'status');
  }
  const deliveryId = await currentDeliveryId(deps, id);
  if (deliveryId === null) throw new AppError('invalid_state', `campaign ${id} has no delivery`, 'status');
  return deps.store.db.selectFrom('deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
}


const DONE = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' } as const;

/** The audit line of a pause, resume or cancel, written in the transaction of the move. */
function audited(actor: Actor, action: 'pause' | 'resume' | 'cancel', campaignId: number, data: Record<string, unknown>) {
  return (trx: Kysely<Database>, now: string) => recordAudit({ trx, now }, actor, `campaign.${action}`, `campaign:${campaignId}`, data);
}

/** The campaign's own status moves (recurring, triggered), conditionally on where it was, with its audit line. */
async function moveStandingCampaign(deps: AppDeps, actor: Actor, campaign: CampaignRow, from: string[], to: string, action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  if (!from.includes(campaign.status)) {
    throw new AppError('invalid_state', `campaign ${campaign.id} is ${campaign.status}; ${action} works from ${from.join(' or ')}`, 'status');
  }
  const now = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute(async (trx) => {
    await moveCampaign(trx, { campaignId: campaign.id, accountId: campaign.account_id, from, set: { status: to, updated_at: now }, doing: DONE[action] });
    // A campaign cancelled while it awaited approval leaves no open request behind in the queue.
    await trx
      .updateTable('campaign_approvals')
      .set({ status: 'withdrawn', decided_by: actor.label, decided_at: now, comment: 'campaign cancelled' })
      .where('campaign_id', '=', campaign.id)
      .where('status', '=', 'pending')
      .execute();
    await audited(actor, action, campaign.id, { from: campaign.status, to })(trx, now);
  });
}

/** Moves every run of a standing campaign that is in one of `from` to `to` (or to its per-run target). */
async function moveRuns(
  deps: AppDeps,
  campaignId: number,
  from: DeliveryStatus[],
  to: (d: { prepared_at: string | null }) => DeliveryStatus,
  reason: string | null,
): Promise<number[]> {
  const runs = await deps.store.db
    .selectFrom('deliveries')
    .select(['id', 'prepared_at'])
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', from)
    .execute();
  const moved: number[] = [];
  for (const d of runs) {
    const target = to(d);
    const ok = await moveDelivery(deps, { deliveryId: d.id, from, to: target, reason, ...(target === 'cancelled' ? { stamp: 'finished_at' as const } : {}) });
    if (ok) moved.push(d.id);
  }
  return moved;
}

export async function pauseCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, id);
  if (!campaignFollowsDelivery(campaign.kind)) {
    await moveStandingCampaign(deps, actor, campaign, ['active'], 'paused', 'pause');
    await moveRuns(deps, id, ['scheduled', 'preparing', 'sending'], () => 'paused', `paused by ${actor.label}`);
    return getCampaign(deps, actor, id);
  }
  const d = await currentDelivery(deps, actor, id, 'pause');
  const ok = await moveDelivery(deps, {
    deliveryId: d.id,
    from: ['scheduled', 'preparing', 'sending'],
    to: 'paused',
    reason: `paused by ${actor.label}`,
    alsoInTransaction: audited(actor, 'pause', id, { delivery_id: d.id, from: d.status }),
  });
  if (!ok) throw raced(id, 'paused');
  return getCampaign(deps, actor, id);
}

export async function resumeCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView> {
  const campaign = await loadCampaignRow(deps, actor, id);
  if (!campaignFollowsDelivery(campaign.kind)) {
    await rescheduleAfterPause(deps, campaign);
    await moveStandingCampaign(deps, actor, campaign, ['paused'], 'active', 'resume');
    await moveRuns(deps, id, ['paused'], (d) => (d.prepared_at ? 'sending' : 'scheduled'), null);
    return getCampaign(deps, actor, id);
  }
  const d = await currentDelivery(deps, actor, id, 'resume');
  // A delivery paused before its ledger was written goes back to the scheduler.
  const to = d.prepared_at ? 'sending' : 'scheduled';
  const ok = await moveDelivery(deps, { deliveryId: d.id, from: ['paused'], to, reason: null, alsoInTransaction: audited(actor, 'resume', id, { delivery_id: d.id, to }) });
  if (!ok) throw raced(id, 'resumed');
  return getCampaign(deps, actor, id);
}

export async function cancelCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView & { cancelled_messages: number }> {
  const campaign = await loadCampaignRow(deps, actor, id);
  if (!campaignFollowsDelivery(campaign.kind)) {
    await moveStandingCampaign(deps, actor, campaign, ['active', 'paused', 'awaiting_approval'], 'cancelled', 'cancel');
    const runs = await moveRuns(
      deps,
      id,
      ['scheduled', 'awaiting_confirmation', 'preparing', 'sending', 'paused'],
      () => 'cancelled',
      `cancelled by ${actor.label}`,
    );
    let cancelled = 0;
    for (const deliveryId of runs) cancelled += await cancelOpenMessages(deps.store.db, { deliveryId, now: deps.clock.now().toISOString() });
    return { ...(await getCampaign(deps, actor, id)), cancelled_messages: cancelled };
  }
  const d = await currentDelivery(deps, actor, id, 'cancel');
  const ok = await moveDelivery(deps, {
    deliveryId: d.id,
    from: ['scheduled', 'preparing', 'sending', 'paused'],
    to: 'cancelled',
    reason: `cancelled by ${actor.label}`,
    stamp: 'finished_at',
    alsoInTransaction: audited(actor, 'cancel', id, { delivery_id: d.id, from: d.status }),
  });
  if (!ok) throw raced(id, 'cancelled');
  const cancelled = await cancelOpenMessages(deps.store.db, { deliveryId: d.id, now: deps.clock.now().toISOString() });
  return { ...(await getCampaign(deps, actor, id)), cancelled_messages: cancelled };
}
