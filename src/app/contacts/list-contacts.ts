// A page of contacts in id order (keyset paging: pass the last id as `after`), optionally only
// those whose email or phone contains `q`, or only the members of one list.
import { sql } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { requireList } from '../lists/find-list.ts';
import { type ContactView, toContactView } from './contact-view.ts';

export interface ListContactsQuery {
  after?: number;
  limit?: number;
  q?: string;
  list_id?: number;
}

export interface Page<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last page. */
  next_after: number | null;
}

/** LIKE pattern matching `q` literally (its % and _ are not wildcards). */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listContacts(deps: AppDeps, actor: Actor, query: ListContactsQuery): Promise<Page<ContactView>> {
  const { db } = deps.store;
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  if (query.list_id !== undefined) await requireList(db, actor.accountId, query.list_id);
  let select = db.selectFrom('contacts').selectAll('contacts').where('contacts.account_id', '=', actor.accountId);
  if (query.after !== undefined) select = select.where('contacts.id', '>', query.after);
  if (query.q) {
    const pattern = containsPattern(query.q.trim().toLowerCase());
    select = select.where(sql<boolean>`(contacts.email like ${pattern} escape '\\' or contacts.phone like ${pattern} escape '\\')`);
  }
  if (query.list_id !== undefined) {
    const listId = query.list_id;
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriptions')
          .select('subscriptions.contact_id')
          .whereRef('subscriptions.contact_id', '=', 'contacts.id')
          .where('subscriptions.list_id', '=', listId)
          .where('subscriptions.account_id', '=', actor.accountId),
      ),
    );
  }
  const rows = await select.orderBy('contacts.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(toContactView);
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
