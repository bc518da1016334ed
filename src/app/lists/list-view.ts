// How a list looks outside the store: with its subscription counts per status, so "how many
// will this reach?" is answered where the list is shown.
import type { Kysely } from 'kysely';
import type { Database, ListRow } from '../../store/schema.ts';
import { SUBSCRIPTION_STATUSES, type SubscriptionStatus } from './subscription-status.ts';

export type SubscriptionCounts = Record<SubscriptionStatus, number> & { total: number };

export interface ListView {
  id: number;
  name: string;
  description: string | null;
  opt_in: string;
  counts: SubscriptionCounts;
  created_at: string;
  updated_at: string;
}

const emptyCounts = (): SubscriptionCounts => ({ subscribed: 0, unconfirmed: 0, unsubscribed: 0, total: 0 });

/** Subscription counts of several lists in one grouped query. */
export async function countSubscriptions(db: Kysely<Database>, accountId: number, listIds: number[]): Promise<Map<number, SubscriptionCounts>> {
  const out = new Map<number, SubscriptionCounts>(listIds.map((id) => [id, emptyCounts()]));
  if (listIds.length === 0) return out;
  const rows = await db
    .selectFrom('subscriptions')
    .select(['list_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .where('list_id', 'in', listIds)
    .groupBy(['list_id', 'status'])
    .execute();
  for (const r of rows) {
    const counts = out.get(Number(r.list_id))!;
    if ((SUBSCRIPTION_STATUSES as readonly string[]).includes(r.status)) counts[r.status as SubscriptionStatus] = Number(r.n);
    counts.total += Number(r.n);
  }
  return out;
}

export function toListView(row: ListRow, counts: SubscriptionCounts | undefined): ListView {
  return {
    id: Number(row.id),
    name: row.name,
    description: row.description,
    opt_in: row.opt_in,
    counts: counts ?? emptyCounts(),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function loadListView(db: Kysely<Database>, accountId: number, row: ListRow): Promise<ListView> {
  const counts = await countSubscriptions(db, accountId, [Number(row.id)]);
  return toListView(row, counts.get(Number(row.id)));
}
