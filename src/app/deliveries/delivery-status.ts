// Moving a delivery between states, and its campaign with it, in one transaction and only from
// the states the caller expects (two workers or a worker and a user racing: one wins, cleanly).
import { CAMPAIGN_KINDS, campaignFollowsDelivery, campaignStatusOf, type DeliveryStatus } from '../../core/campaign-lifecycle.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { AppDeps } from '../deps.ts';

export async function moveDelivery(
  deps: AppDeps,
  args: {
    deliveryId: number;
    from: readonly DeliveryStatus[];
    to: DeliveryStatus;
    reason?: string | null;
    stamp?: 'prepared_at' | 'started_at' | 'finished_at';
    /** Also require this updated_at (taking over a stalled step exactly as it was read). */
    ifUpdatedAt?: string;
    /** Runs in the move's transaction when the move happened (e.g. the audit line of a pause). */
    alsoInTransaction?: (trx: Kysely<Database>, now: string) => Promise<void>;
  },
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('deliveries')
      .set({
        status: args.to,
        updated_at: now,
        ...(args.reason !== undefined ? { status_reason: args.reason } : {}),
        ...(args.stamp ? { [args.stamp]: now } : {}),
      })
      .where('id', '=', args.deliveryId)
      .where('status', 'in', [...args.from])
      .$if(args.ifUpdatedAt !== undefined, (q) => q.where('updated_at', '=', args.ifUpdatedAt!))
      .returning(['campaign_id'])
      .executeTakeFirst();
    if (!moved) return false;
    // Recurring and triggered campaigns keep their own status; each run has its delivery's.
    await trx
      .updateTable('campaigns')
      .set({ status: campaignStatusOf(args.to), updated_at: now })
      .where('id', '=', moved.campaign_id)
      .where('kind', 'in', CAMPAIGN_KINDS.filter(campaignFollowsDelivery))
      .execute();
    await args.alsoInTransaction?.(trx, now);
    return true;
  });
}
