// After a worker dies (kill -9, power loss), its leases expire. Claimed rows were never handed
// off and go back to the queue; rows in `sending` may or may not have reached the receiving
// server and are settled by the campaign's uncertain_policy. Safe to run from every worker at
// once: each statement only touches rows whose lease has expired.
import { deliveriesWithExpiredSending, requeueExpiredClaims, settleExpiredSending } from '../../store/queries/ledger.ts';
import { parseSettings } from '../campaigns/campaign-input.ts';
import type { AppDeps } from '../deps.ts';

export interface RecoveryCounts {
  requeued: number;
  resent: number;
  held: number;
}

export async function recoverExpiredLeases(deps: AppDeps): Promise<RecoveryCounts> {
  const { db } = deps.store;
  const now = deps.clock.now().toISOString();
  const counts: RecoveryCounts = { requeued: await requeueExpiredClaims(db, now), resent: 0, held: 0 };
  for (const deliveryId of await deliveriesWithExpiredSending(db, now)) {
    const c = await db
      .selectFrom('deliveries')
      .innerJoin('campaigns', 'campaigns.id', 'deliveries.campaign_id')
      .select('campaigns.settings')
      .where('deliveries.id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    const policy = parseSettings(c.settings).uncertain_policy;
    const n = await settleExpiredSending(db, { deliveryId, now, policy });
    if (policy === 'resend') counts.resent += n;
    else counts.held += n;
  }
  // Preparations whose worker stopped heartbeating are taken over by the next claimDueDelivery.
  if (counts.requeued || counts.resent || counts.held) deps.log.warn({ ...counts }, 'recovered expired leases');
  return counts;
}
