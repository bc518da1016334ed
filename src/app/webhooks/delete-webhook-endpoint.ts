// Deletes an endpoint and its delivery log; nothing more is sent to it.
import type { Actor, AppDeps } from '../deps.ts';
import { findEndpointRow } from './read-webhook-endpoints.ts';

export async function deleteWebhookEndpoint(deps: AppDeps, actor: Actor, id: number): Promise<{ deleted: true }> {
  await findEndpointRow(deps, actor, id);
  await deps.store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').where('account_id', '=', actor.accountId).where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('webhook_endpoints').where('account_id', '=', actor.accountId).where('id', '=', id).execute();
  });
  return { deleted: true };
}
