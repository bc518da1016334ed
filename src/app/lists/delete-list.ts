// Deletes a list and its subscriptions. The contacts stay (they may be on other lists).
import type { Actor, AppDeps } from '../deps.ts';
import { requireList } from './find-list.ts';

export async function deleteList(deps: AppDeps, actor: Actor, id: number): Promise<{ id: number; deleted: true; subscriptions_removed: number }> {
  return deps.store.db.transaction().execute(async (trx) => {
    await requireList(trx, actor.accountId, id, 'id');
    const removed = await trx.deleteFrom('subscriptions').where('account_id', '=', actor.accountId).where('list_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('lists').where('account_id', '=', actor.accountId).where('id', '=', id).execute();
    return { id, deleted: true as const, subscriptions_removed: Number(removed.numDeletedRows) };
  });
}
