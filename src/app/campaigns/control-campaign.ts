// Pause, resume and cancel, in the middle of a send. Workers look at the delivery's state between
// chunks, so a pause takes effect within one chunk; nothing already handed off is touched.
import { allowedFrom, canCampaign, type CampaignAction } from '../../core/campaign-lifecycle.ts';
import { cancelOpenMessages } from '../../store/queries/ledger.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { moveDelivery } from '../deliveries/delivery-status.ts';
import { type CampaignView, currentDeliveryId, getCampaign, loadCampaignRow } from './read-campaigns.ts';

async function currentDelivery(deps: AppDeps, actor: Actor, id: number, action: CampaignAction) {
  const campaign = await loadCampaignRow(deps, actor, id);
  if (!canCampaign(action, campaign.status)) {
    throw new AppError('invalid_state', `campaign ${id} is ${campaign.status}; ${action} works from ${allowedFrom(action).join(' or ')}`, 'status');
  }
  const deliveryId = await currentDeliveryId(deps, id);
  if (deliveryId === null) throw new AppError('invalid_state', `campaign ${id} has no delivery`, 'status');
  return deps.store.db.selectFrom('deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
}

function raced(id: number, action: string): AppError {
  return new AppError('invalid_state', `campaign ${id} changed state while it was being ${action}; look again`, 'status');
}

export async function pauseCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView> {
  const d = await currentDelivery(deps, actor, id, 'pause');
  const ok = await moveDelivery(deps, { deliveryId: d.id, from: ['scheduled', 'preparing', 'sending'], to: 'paused', reason: `paused by ${actor.label}` });
  if (!ok) throw raced(id, 'paused');
  return getCampaign(deps, actor, id);
}

export async function resumeCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView> {
  const d = await currentDelivery(deps, actor, id, 'resume');
  // A delivery paused before its ledger was written goes back to the scheduler.
  const to = d.prepared_at ? 'sending' : 'scheduled';
  const ok = await moveDelivery(deps, { deliveryId: d.id, from: ['paused'], to, reason: null });
  if (!ok) throw raced(id, 'resumed');
  return getCampaign(deps, actor, id);
}

export async function cancelCampaign(deps: AppDeps, actor: Actor, id: number): Promise<CampaignView & { cancelled_messages: number }> {
  const d = await currentDelivery(deps, actor, id, 'cancel');
  const ok = await moveDelivery(deps, {
    deliveryId: d.id,
    from: ['scheduled', 'preparing', 'sending', 'paused'],
    to: 'cancelled',
    reason: `cancelled by ${actor.label}`,
    stamp: 'finished_at',
  });
  if (!ok) throw raced(id, 'cancelled');
  const cancelled = await cancelOpenMessages(deps.store.db, { deliveryId: d.id, now: deps.clock.now().toISOString() });
  return { ...(await getCampaign(deps, actor, id)), cancelled_messages: cancelled };
}
