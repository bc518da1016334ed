// Changes that must see a consistent set of the account's users (the last-owner rule) run in a
// transaction that first locks the account row on PostgreSQL, so two admins demoting the two
// last owners at the same moment cannot both succeed. SQLite has one writer at a time already.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';

export async function inAccountUsersTransaction<T>(deps: AppDeps, actor: Actor, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return deps.store.db.transaction().execute(async (trx) => {
    let lock = trx.selectFrom('accounts').select('id').where('id', '=', actor.accountId);
    // Row locks exist where SKIP LOCKED does (PostgreSQL).
    if (deps.store.caps.supportsSkipLocked) lock = lock.forUpdate();
    await lock.executeTakeFirst();
    return fn(trx);
  });
}

/** Active owners of the account other than `exceptUserId`. */
export async function otherActiveOwners(db: Kysely<Database>, accountId: number, exceptUserId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('account_id', '=', accountId)
    .where('role', '=', 'owner')
    .where('disabled_at', 'is', null)
    .where('deleted_at', 'is', null)
    .where('id', '!=', exceptUserId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
