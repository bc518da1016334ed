// Reading an account's outgoing webhook endpoints and their delivery log (newest first).
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { toDeliveryView, toEndpointView, type WebhookDeliveryView, type WebhookEndpointView } from './webhook-endpoint-view.ts';

export async function findEndpointRow(deps: AppDeps, actor: Actor, id: number) {
  const row = await deps.store.db.selectFrom('webhook_endpoints').selectAll().where('account_id', '=', actor.accountId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('webhook', id);
  return row;
}

export async function listWebhookEndpoints(deps: AppDeps, actor: Actor): Promise<{ items: WebhookEndpointView[] }> {
  const rows = await deps.store.db.selectFrom('webhook_endpoints').selectAll().where('account_id', '=', actor.accountId).orderBy('id').execute();
  return { items: rows.map(toEndpointView) };
}

export async function getWebhookEndpoint(deps: AppDeps, actor: Actor, id: number): Promise<WebhookEndpointView> {
  return toEndpointView(await findEndpointRow(deps, actor, id));
}

export interface DeliveriesQuery {
  limit?: number;
  /** Only attempts with an id lower than this (the next page of the newest-first log). */
  before?: number;
}

export async function listWebhookDeliveries(deps: AppDeps, actor: Actor, id: number, q: DeliveriesQuery = {}): Promise<{ items: WebhookDeliveryView[]; next_before: number | null }> {
  await findEndpointRow(deps, actor, id);
  const limit = q.limit ?? 50;
  let query = deps.store.db.selectFrom('webhook_deliveries').selectAll().where('account_id', '=', actor.accountId).where('endpoint_id', '=', id);
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  return { items: page.map(toDeliveryView), next_before: rows.length > limit ? page[page.length - 1].id : null };
}
