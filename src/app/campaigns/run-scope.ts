// The ledger rows a campaign's numbers are counted over: one run, or all of them.
import type { AppDeps } from '../deps.ts';

/**
 * Which ledger rows the numbers are of: one run (a delivery), or every run of a recurring or
 * triggered campaign (deliveryId null). Messages are reached through their deliveries (the ledger
 * has no campaign index: its claim index leads with delivery_id).
 */
export interface RunScope {
  campaignId: number;
  deliveryId: number | null;
}

// biome-ignore lint/suspicious/noExplicitAny: applies to any select/update on messages or message_events
export function inScope<Q extends { where: (...args: any[]) => Q }>(q: Q, deps: AppDeps, scope: RunScope): Q {
  if (scope.deliveryId !== null) return q.where('delivery_id', '=', scope.deliveryId);
  return q.where('delivery_id', 'in', deps.store.db.selectFrom('deliveries').select('id').where('campaign_id', '=', scope.campaignId));
}
