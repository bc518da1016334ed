// A sender that keeps being refused for policy reasons (5.7.x: blocklisted IP, failed DMARC,
// content filtered) burns its reputation with every further message. After each batch the worker
// asks this; over the threshold the delivery is paused with the reason, for a person to look at.
import { senderFailureVerdict } from '../../core/suppression-sender-failure.ts';
import type { AppDeps } from '../deps.ts';
import { moveDelivery } from './delivery-status.ts';
import { notifyDeliveryPaused } from './notify-delivery-problem.ts';

/** At least this many hand-offs before judging, and more than this share refused by policy. */
export const SENDER_FAILURE_POLICY = { minAttempts: 50, maxRate: 0.05 };

export async function pauseIfSenderFailing(deps: AppDeps, deliveryId: number): Promise<string | null> {
  const row = await deps.store.db
    .selectFrom('messages')
    .select([
      (eb) => eb.fn.countAll<number>().as('attempted'),
      (eb) => eb.fn.sum<number>(eb.case().when('reason', '=', 'rejected_sender_policy').then(1).else(0).end()).as('refused'),
    ])
    .where('delivery_id', '=', deliveryId)
    .where('status', 'in', ['sent', 'failed'])
    .executeTakeFirstOrThrow();
  const verdict = senderFailureVerdict({ attempted: Number(row.attempted), senderPolicyFailures: Number(row.refused ?? 0) }, SENDER_FAILURE_POLICY);
  if (!verdict.pause) return null;
  const paused = await moveDelivery(deps, { deliveryId, from: ['sending'], to: 'paused', reason: `sender_failing: ${verdict.detail}` });
  if (paused) {
    deps.log.warn({ deliveryId, detail: verdict.detail }, 'delivery paused: the sender keeps being refused');
    await notifyDeliveryPaused(deps, deliveryId, verdict.detail);
  }
  return paused ? verdict.detail : null;
}
