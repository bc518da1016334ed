// Reading lists: one with its counts, or a page of them.
import type { Actor, AppDeps } from '../deps.ts';
import type { Page } from '../contacts/list-contacts.ts';
import { requireList } from './find-list.ts';
import { countSubscriptions, type ListView, loadListView, toListView } from './list-view.ts';

export async function getList(deps: AppDeps, actor: Actor, id: number): Promise<ListView> {
  const row = await requireList(deps.store.db, actor.accountId, id, 'id');
  return loadListView(deps.store.db, actor.accountId, row);
}

export async function listLists(deps: AppDeps, actor: Actor, query: { after?: number; limit?: number }): Promise<Page<ListView>> {
  const { db } = deps.store;
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = db.selectFrom('lists').selectAll().where('account_id', '=', actor.accountId);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  const rows = await select.orderBy('id').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const counts = await countSubscriptions(db, actor.accountId, page.map((r) => Number(r.id)));
  const items = page.map((r) => toListView(r, counts.get(Number(r.id))));
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
