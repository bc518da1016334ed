// Loads a list of the acting account. A list of another account is "not found", never "forbidden":
// a key must not even learn that the id exists.
import type { Kysely } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { Database, ListRow } from '../../store/schema.ts';

export async function requireList(db: Kysely<Database>, accountId: number, id: number, field = 'list_id'): Promise<ListRow> {
  const row = await db.selectFrom('lists').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('list', id, field);
  return row;
}

/** Several lists at once (bulk subscribe); names the first unknown one as `field[i]`. */
export async function requireLists(db: Kysely<Database>, accountId: number, ids: readonly number[], field = 'list_ids'): Promise<ListRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('lists').selectAll().where('account_id', '=', accountId).where('id', 'in', [...ids]).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id, i) => {
    const row = byId.get(id);
    if (!row) throw notFound('list', id, `${field}[${i}]`);
    return row;
  });
}

/** For the CLI: a list named by id ("12") or by name ("Newsletter"). */
export async function resolveList(deps: AppDeps, actor: Actor, idOrName: string, field = 'list'): Promise<ListRow> {
  const { db } = deps.store;
  if (/^\d+$/.test(idOrName)) {
    const byId = await db.selectFrom('lists').selectAll().where('account_id', '=', actor.accountId).where('id', '=', Number(idOrName)).executeTakeFirst();
    if (byId) return byId;
  }
  const byName = await db.selectFrom('lists').selectAll().where('account_id', '=', actor.accountId).where('name', '=', idOrName).executeTakeFirst();
  if (!byName) throw notFound('list', idOrName, field);
  return byName;
}
