// Which lists a bulk upsert or an import subscribes its contacts to, and with which status: the
// caller's status if given, otherwise what each list's opt-in asks for (double → unconfirmed).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { invalid } from '../errors.ts';
import type { ListSubscriptionPlan } from './add-subscriptions.ts';
import { requireLists } from './find-list.ts';
import { initialStatus, isSubscriptionStatus } from './subscription-status.ts';

export async function planSubscriptions(
  db: Kysely<Database>,
  accountId: number,
  input: { listIds: readonly number[]; status?: string | null; source: string; listField?: string },
): Promise<ListSubscriptionPlan | undefined> {
  if (input.status != null && !isSubscriptionStatus(input.status)) {
    throw invalid('status', `"${input.status}" is not a subscription status; one of subscribed, unconfirmed, unsubscribed`);
  }
  const ids = [...new Set(input.listIds)];
  if (ids.length === 0) return undefined;
  const lists = await requireLists(db, accountId, ids, input.listField);
  return {
    lists: lists.map((l) => ({ id: Number(l.id), status: isSubscriptionStatus(input.status) ? input.status : initialStatus(l) })),
    source: input.source,
  };
}
