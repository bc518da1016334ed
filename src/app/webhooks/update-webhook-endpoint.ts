// Changes an endpoint: URL, events, description; `enabled: true` brings a disabled endpoint back
// (its failure streak starts over and it resumes at its cursor: the events it missed are sent);
// `rotate_secret` makes a new signing secret, returned once.
import type { Actor, AppDeps } from '../deps.ts';
import { findEndpointRow } from './read-webhook-endpoints.ts';
import { checkDescription, checkEndpointEvents, checkEndpointUrl, newWebhookSecret } from './webhook-endpoint-input.ts';
import { toEndpointView, type WebhookEndpointView } from './webhook-endpoint-view.ts';

export interface UpdateWebhookEndpointInput {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
  rotate_secret?: boolean;
}

export async function updateWebhookEndpoint(deps: AppDeps, actor: Actor, id: number, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointView & { secret?: string }> {
  await findEndpointRow(deps, actor, id);
  const now = deps.clock.now().toISOString();
  const secret = input.rotate_secret ? newWebhookSecret() : undefined;
  const enabling = input.enabled === true ? { status: 'active', disabled_reason: null, failure_streak: 0, next_attempt_at: null } : {};
  const disabling = input.enabled === false ? { status: 'disabled', disabled_reason: `disabled by ${actor.label}` } : {};
  const row = await deps.store.db
    .updateTable('webhook_endpoints')
    .set({
      ...(input.url !== undefined ? { url: checkEndpointUrl(deps, input.url) } : {}),
      ...(input.events !== undefined ? { events: JSON.stringify(checkEndpointEvents(input.events)) } : {}),
      ...(input.description !== undefined ? { description: checkDescription(input.description) } : {}),
      ...enabling,
      ...disabling,
      ...(secret ? { secret } : {}),
      updated_at: now,
    })
    .where('account_id', '=', actor.accountId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toEndpointView(row), ...(secret ? { secret } : {}) };
}
