// A delivery is completed when none of its rows needs work any more.
import { hasOpenMessages } from '../../store/queries/ledger.ts';
import type { AppDeps } from '../deps.ts';
import { moveDelivery } from './delivery-status.ts';

export async function completeIfDone(deps: AppDeps, deliveryId: number): Promise<boolean> {
  if (await hasOpenMessages(deps.store.db, deliveryId)) return false;
  return moveDelivery(deps, { deliveryId, from: ['sending'], to: 'completed', stamp: 'finished_at' });
}
