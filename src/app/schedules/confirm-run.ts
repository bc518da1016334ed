// A recurring run that waits for confirmation (confirm_each_run) is confirmed — it is scheduled
// and the worker prepares and sends it as usual — or skipped, by someone with deliveries:start.
// Both move the run only from the state it was in, and are recorded in the audit log.
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { moveDelivery } from '../deliveries/delivery-status.ts';
import { type DeliveryView, getDelivery, loadDeliveryRow } from '../deliveries/read-deliveries.ts';

export async function confirmRun(deps: AppDeps, actor: Actor, deliveryId: number): Promise<DeliveryView> {
  const d = await loadDeliveryRow(deps, actor, deliveryId);
  if (d.status !== 'awaiting_confirmation') {
    throw new AppError('invalid_state', `delivery ${deliveryId} is ${d.status}; only a run awaiting confirmation can be confirmed`, 'status');
  }
  const campaign = await deps.store.db.selectFrom('campaigns').select('status').where('id', '=', d.campaign_id).executeTakeFirstOrThrow();
  if (campaign.status !== 'active' && campaign.status !== 'completed') {
    throw new AppError('invalid_state', `campaign ${d.campaign_id} is ${campaign.status}; resume it before confirming its runs`, 'status');
  }
  const ok = await moveDelivery(deps, { deliveryId, from: ['awaiting_confirmation'], to: 'scheduled', reason: `confirmed by ${actor.label}` });
  if (!ok) throw new AppError('invalid_state', `delivery ${deliveryId} changed state while it was being confirmed; look again`, 'status');
  await recordAudit(deps, actor, 'delivery.confirm', `delivery:${deliveryId}`, { campaign_id: d.campaign_id, run_key: d.run_key });
  return getDelivery(deps, actor, deliveryId);
}

export async function skipRun(deps: AppDeps, actor: Actor, deliveryId: number): Promise<DeliveryView> {
  const d = await loadDeliveryRow(deps, actor, deliveryId);
  // A run not yet prepared has no ledger: skipping it leaves nothing behind half done.
  if (d.status !== 'awaiting_confirmation' && !(d.status === 'scheduled' && d.run_key?.startsWith('cron:'))) {
    throw new AppError('invalid_state', `delivery ${deliveryId} is ${d.status}; a recurring run can be skipped while it awaits confirmation or is scheduled`, 'status');
  }
  const ok = await moveDelivery(deps, { deliveryId, from: ['awaiting_confirmation', 'scheduled'], to: 'skipped', reason: `skipped by ${actor.label}`, stamp: 'finished_at' });
  if (!ok) throw new AppError('invalid_state', `delivery ${deliveryId} changed state while it was being skipped; look again`, 'status');
  await recordAudit(deps, actor, 'delivery.skip', `delivery:${deliveryId}`, { campaign_id: d.campaign_id, run_key: d.run_key });
  return getDelivery(deps, actor, deliveryId);
}
