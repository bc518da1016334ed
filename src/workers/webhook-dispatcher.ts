// The worker step of outgoing webhooks: every active endpoint that is due gets one turn (one
// batch). Endpoints are leased first with one conditional update each, so several worker
// processes never send the same batch twice; a crashed worker's lease runs out after LEASE_MS.
// Call it from the worker loop; it returns how many requests were made, so the loop can call
// again at once when there was work.
import type { AppDeps } from '../app/deps.ts';
import { dispatchEndpoint, type EndpointTurn } from '../app/webhooks/dispatch-endpoint.ts';
import { REQUEST_TIMEOUT_MS } from '../app/webhooks/post-webhook-batch.ts';

const LEASE_MS = REQUEST_TIMEOUT_MS * 3;
/** Endpoints handled per call, in parallel (each waits for its own receiver). */
const ENDPOINTS_PER_CALL = 20;

export interface WebhookDispatchCounts {
  delivered: number;
  failed: number;
  disabled: number;
}

export async function dispatchWebhooks(deps: AppDeps, now: Date): Promise<WebhookDispatchCounts> {
  const db = deps.store.db;
  const at = now.toISOString();
  const due = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', at)]))
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .orderBy('id')
    .limit(ENDPOINTS_PER_CALL)
    .execute();
  const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
  const turns = await Promise.all(
    due.map(async (ep): Promise<EndpointTurn> => {
      const claimed = await db
        .updateTable('webhook_endpoints')
        .set({ lease_until: leaseUntil })
        .where('id', '=', ep.id)
        .where('status', '=', 'active')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 0) return 'idle';
      try {
        return await dispatchEndpoint(deps, { ...ep, lease_until: leaseUntil }, now);
      } catch (err) {
        deps.log.error({ err, endpointId: ep.id }, 'webhook dispatch failed');
        return 'idle';
      } finally {
        // An idle turn (nothing to send) leaves the lease: release it. Other turns cleared it already.
        await db.updateTable('webhook_endpoints').set({ lease_until: null }).where('id', '=', ep.id).where('lease_until', '=', leaseUntil).execute();
      }
    }),
  );
  return {
    delivered: turns.filter((t) => t === 'delivered').length,
    failed: turns.filter((t) => t === 'failed').length,
    disabled: turns.filter((t) => t === 'disabled').length,
  };
}
