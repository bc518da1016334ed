// POST /webhooks/:id/test: one signed request with a single made-up event of type "test", right
// now, whatever the endpoint's state; logged as a test attempt. It moves no cursor and no streak.
import type { Actor, AppDeps } from '../deps.ts';
import { postWebhookBatch } from './post-webhook-batch.ts';
import { findEndpointRow } from './read-webhook-endpoints.ts';
import { toDeliveryView, type WebhookDeliveryView } from './webhook-endpoint-view.ts';

export async function sendTestWebhook(deps: AppDeps, actor: Actor, id: number): Promise<WebhookDeliveryView> {
  const ep = await findEndpointRow(deps, actor, id);
  const now = deps.clock.now();
  const body = JSON.stringify([
    { id: 0, type: 'test', occurred_at: now.toISOString(), campaign_id: null, delivery_id: null, message_id: null, contact_id: null, address: null, machine: null, data: { test: true } },
  ]);
  const result = await postWebhookBatch(ep.url, ep.secret, body, now);
  const row = await deps.store.db
    .insertInto('webhook_deliveries')
    .values({
      account_id: actor.accountId,
      endpoint_id: ep.id,
      attempted_at: now.toISOString(),
      status_code: result.statusCode,
      duration_ms: result.durationMs,
      ok: result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 ? 1 : 0,
      error: result.error,
      first_event_id: null,
      last_event_id: null,
      event_count: 1,
      test: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDeliveryView(row);
}
