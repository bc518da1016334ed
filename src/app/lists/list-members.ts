// The members of a list with their consent state, in contact id order (keyset paging), optionally
// only those with one status.
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import type { Page } from '../contacts/list-contacts.ts';
import { requireList } from './find-list.ts';
import { isSubscriptionStatus } from './subscription-status.ts';

export interface ListMember {
  contact_id: number;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  status: string;
  source: string | null;
  subscribed_at: string;
  updated_at: string;
}

export async function listMembers(
  deps: AppDeps,
  actor: Actor,
  listId: number,
  query: { status?: string; after?: number; limit?: number },
): Promise<Page<ListMember>> {
  const { db } = deps.store;
  if (query.status !== undefined && !isSubscriptionStatus(query.status)) {
    throw invalid('status', `"${query.status}" is not a subscription status; one of subscribed, unconfirmed, unsubscribed`);
  }
  await requireList(db, actor.accountId, listId, 'id');
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = db
    .selectFrom('subscriptions')
    .innerJoin('contacts', 'contacts.id', 'subscriptions.contact_id')
    .select([
      'subscriptions.contact_id',
      'contacts.email',
      'contacts.phone',
      'contacts.first_name',
      'contacts.last_name',
      'subscriptions.status',
      'subscriptions.source',
      'subscriptions.created_at as subscribed_at',
      'subscriptions.updated_at',
    ])
    .where('subscriptions.account_id', '=', actor.accountId)
    .where('subscriptions.list_id', '=', listId);
  if (query.status !== undefined) select = select.where('subscriptions.status', '=', query.status);
  if (query.after !== undefined) select = select.where('subscriptions.contact_id', '>', query.after);
  const rows = await select.orderBy('subscriptions.contact_id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((r) => ({ ...r, contact_id: Number(r.contact_id) }));
  return { items, next_after: rows.length > limit ? items[items.length - 1].contact_id : null };
}
