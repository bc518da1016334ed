// Registers an outgoing webhook endpoint. It starts after the account's newest event: an endpoint
// receives what happens from now on, not the account's history.
import type { Actor, AppDeps } from '../deps.ts';
import { checkDescription, checkEndpointEvents, checkEndpointUrl, newWebhookSecret } from './webhook-endpoint-input.ts';
import { toEndpointView, type WebhookEndpointView } from './webhook-endpoint-view.ts';

export interface CreateWebhookEndpointInput {
  url: string;
  events: string[];
  description?: string | null;
}

export async function createWebhookEndpoint(deps: AppDeps, actor: Actor, input: CreateWebhookEndpointInput): Promise<WebhookEndpointView & { secret: string }> {
  const url = checkEndpointUrl(deps, input.url);
  const events = checkEndpointEvents(input.events);
  const description = checkDescription(input.description);
  const now = deps.clock.now().toISOString();
  const secret = newWebhookSecret();
  const row = await deps.store.db.transaction().execute(async (trx) => {
    const newest = await trx.selectFrom('message_events').select((eb) => eb.fn.max('id').as('max')).where('account_id', '=', actor.accountId).executeTakeFirst();
    return trx
      .insertInto('webhook_endpoints')
      .values({
        account_id: actor.accountId,
        url,
        secret,
        events: JSON.stringify(events),
        description,
        status: 'active',
        disabled_reason: null,
        cursor_event_id: Number(newest?.max ?? 0),
        next_attempt_at: null,
        lease_until: null,
        last_success_at: null,
        last_failure_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return { ...toEndpointView(row), secret };
}
