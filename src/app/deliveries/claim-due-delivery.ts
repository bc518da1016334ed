// The scheduler's claim: one delivery whose time has come (or whose preparation stalled because
// its worker died) moves to `preparing` for this worker. Conditional on the state it was read in,
// so two workers never prepare the same delivery at the same time.
import type { AppDeps } from '../deps.ts';
import { moveDelivery } from './delivery-status.ts';

/** A preparation that has not heartbeated for this long is considered abandoned. */
export const PREPARE_STALL_MS = 60_000;

export async function claimDueDelivery(deps: AppDeps): Promise<number | null> {
  const now = deps.clock.now();
  const due = await deps.store.db
    .selectFrom('deliveries')
    .select(['id', 'status', 'updated_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'scheduled'), eb('scheduled_at', '<=', now.toISOString())]),
        eb.and([eb('status', '=', 'preparing'), eb('updated_at', '<', new Date(now.getTime() - PREPARE_STALL_MS).toISOString())]),
      ]),
    )
    .orderBy('scheduled_at')
    .limit(5)
    .execute();
  for (const d of due) {
    // Re-check the exact state we read (for a stalled preparation: the same heartbeat).
    const claimed = await moveDelivery(deps, {
      deliveryId: d.id,
      from: [d.status as 'scheduled' | 'preparing'],
      to: 'preparing',
      ifUpdatedAt: d.updated_at,
    });
    if (claimed) return d.id;
  }
  return null;
}
