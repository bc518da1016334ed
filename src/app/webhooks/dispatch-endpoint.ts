// One turn of one outgoing endpoint: the next batch of its account's events after its cursor, of
// the types it subscribed to, sent as one signed request. The cursor moves only when the endpoint
// answers 2xx, so a failing endpoint loses nothing; the streak decides the next attempt and, at
// its end, disables the endpoint (core/webhooks/webhook-backoff.ts). Every attempt is logged.
//
// Events become visible to webhooks SETTLE_MS after they were recorded: on PostgreSQL a
// transaction that took its ids earlier can commit after a later one, and a cursor that had
// already passed those ids would skip them. Batches of recordEvents commit well within that.
import { DISABLE_AFTER_FAILURES, nextAttemptAfterFailure, responseOutcome } from '../../core/webhooks/webhook-backoff.ts';
import type { WebhookEndpointRow } from '../../store/schema-webhooks.ts';
import type { AppDeps } from '../deps.ts';
import { postWebhookBatch } from './post-webhook-batch.ts';
import { endpointEvents } from './webhook-endpoint-view.ts';

export const BATCH_SIZE = 100;
export const SETTLE_MS = 5_000;

export interface OutgoingEvent {
  id: number;
  type: string;
  occurred_at: string;
  campaign_id: number | null;
  delivery_id: number | null;
  message_id: number | null;
  contact_id: number | null;
  address: string | null;
  machine: boolean | null;
  data: unknown;
}

export type EndpointTurn = 'idle' | 'delivered' | 'failed' | 'disabled';

async function nextBatch(deps: AppDeps, ep: WebhookEndpointRow, now: Date): Promise<OutgoingEvent[]> {
  const types = endpointEvents(ep);
  if (types.length === 0) return [];
  const settled = new Date(now.getTime() - SETTLE_MS).toISOString();
  const rows = await deps.store.db
    .selectFrom('message_events as e')
    .leftJoin('messages as m', (j) => j.onRef('m.id', '=', 'e.message_id').on('m.account_id', '=', ep.account_id))
    .select(['e.id', 'e.type', 'e.occurred_at', 'e.campaign_id', 'e.delivery_id', 'e.message_id', 'e.contact_id', 'e.machine', 'e.data', 'm.address'])
    .where('e.account_id', '=', ep.account_id)
    .where('e.id', '>', Number(ep.cursor_event_id))
    .where('e.created_at', '<=', settled)
    .where('e.type', 'in', types)
    .orderBy('e.id')
    .limit(BATCH_SIZE)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    occurred_at: r.occurred_at,
    campaign_id: r.campaign_id,
    delivery_id: r.delivery_id,
    message_id: r.message_id,
    contact_id: r.contact_id,
    address: r.address,
    machine: r.machine === null ? null : r.machine === 1,
    data: JSON.parse(r.data),
  }));
}

export async function dispatchEndpoint(deps: AppDeps, ep: WebhookEndpointRow, now: Date): Promise<EndpointTurn> {
  const db = deps.store.db;
  const batch = await nextBatch(deps, ep, now);
  if (batch.length === 0) return 'idle';
  const result = await postWebhookBatch(ep.url, ep.secret, JSON.stringify(batch), now);
  const outcome = responseOutcome(result.statusCode);
  const at = now.toISOString();
  const first = batch[0].id;
  const last = batch[batch.length - 1].id;
  const streak = outcome === 'ok' ? 0 : ep.failure_streak + 1;
  const disable = outcome === 'gone' ? 'the endpoint answered 410 Gone' : streak >= DISABLE_AFTER_FAILURES ? `${streak} failed attempts in a row (last: ${result.error})` : null;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_deliveries')
      .values({
        account_id: ep.account_id,
        endpoint_id: ep.id,
        attempted_at: at,
        status_code: result.statusCode,
        duration_ms: result.durationMs,
        ok: outcome === 'ok' ? 1 : 0,
        error: result.error,
        first_event_id: first,
        last_event_id: last,
        event_count: batch.length,
        test: 0,
      })
      .execute();
    await trx
      .updateTable('webhook_endpoints')
      .set(
        outcome === 'ok'
          ? { cursor_event_id: last, failure_streak: 0, next_attempt_at: null, last_success_at: at, lease_until: null }
          : {
              failure_streak: streak,
              last_failure_at: at,
              lease_until: null,
              next_attempt_at: disable ? null : nextAttemptAfterFailure(now, streak).toISOString(),
              ...(disable ? { status: 'disabled', disabled_reason: disable } : {}),
            },
      )
      .where('id', '=', ep.id)
      .where('account_id', '=', ep.account_id)
      .execute();
  });
  if (disable) deps.log.warn({ endpointId: ep.id, accountId: ep.account_id, reason: disable }, 'webhook endpoint disabled');
  return outcome === 'ok' ? 'delivered' : disable ? 'disabled' : 'failed';
}
