// Deletes every caught message of the actor's account (other accounts' copies stay).
import type { Actor, AppDeps } from '../deps.ts';

export async function clearOutbox(deps: AppDeps, actor: Actor): Promise<{ deleted: number }> {
  const result = await deps.store.db.deleteFrom('caught_messages').where('account_id', '=', actor.accountId).executeTakeFirst();
  return { deleted: Number(result.numDeletedRows) };
}
