// Deletes a contact and its subscriptions. Ledger rows (messages) keep their contact_id: the
// history of what was sent stays, it just no longer resolves to a person.
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';

export async function deleteContact(deps: AppDeps, actor: Actor, id: number): Promise<{ id: number; deleted: true }> {
  return deps.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('contacts').select('id').where('account_id', '=', actor.accountId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('contact', id, 'id');
    await trx.deleteFrom('subscriptions').where('account_id', '=', actor.accountId).where('contact_id', '=', id).execute();
    await trx.deleteFrom('contacts').where('account_id', '=', actor.accountId).where('id', '=', id).execute();
    return { id, deleted: true as const };
  });
}
