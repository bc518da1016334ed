// Removes a sender domain and its DKIM key; messages from it are sent unsigned from then on.
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';

export async function deleteSenderDomain(deps: AppDeps, actor: Actor, id: number): Promise<void> {
  const result = await deps.store.db
    .deleteFrom('sender_domains')
    .where('account_id', '=', actor.accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('sender domain', id);
}
