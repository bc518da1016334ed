// Explicit subscription changes through the API (POST /lists/:id/subscriptions and
// DELETE /lists/:id/subscriptions/:contact_id). Unlike imports, an explicit call sets the status
// it names, also over an earlier decision: the caller states the contact's current wish.
// Unsubscribing keeps the row with status "unsubscribed", so later imports do not re-add them.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';
import { requireList } from './find-list.ts';
import { initialStatus, isSubscriptionStatus, type SubscriptionStatus } from './subscription-status.ts';

export interface SetSubscriptionsInput {
  contact_ids: number[];
  /** Default: what the list's opt-in asks for (double → unconfirmed). */
  status?: string;
  source?: string;
}

export interface SubscriptionView {
  list_id: number;
  contact_id: number;
  status: string;
  source: string | null;
  created_at: string;
  updated_at: string;
}

async function requireContacts(db: Kysely<Database>, accountId: number, ids: number[]): Promise<void> {
  const found = new Set<number>();
  // Chunked so the IN list stays far below either dialect's parameter limit.
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('contacts')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) found.add(Number(r.id));
  }
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) throw notFound('contact', ids[missing], `contact_ids[${missing}]`);
}

async function upsertSubscription(
  db: Kysely<Database>,
  accountId: number,
  listId: number,
  contactIds: number[],
  status: SubscriptionStatus,
  source: string,
  now: string,
): Promise<void> {
  for (let i = 0; i < contactIds.length; i += 1000) {
    await db
      .insertInto('subscriptions')
      .values(
        contactIds.slice(i, i + 1000).map((contactId) => ({
          account_id: accountId,
          list_id: listId,
          contact_id: contactId,
          status,
          source,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['list_id', 'contact_id']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function setSubscriptions(
  deps: AppDeps,
  actor: Actor,
  listId: number,
  input: SetSubscriptionsInput,
): Promise<{ list_id: number; status: SubscriptionStatus; contacts: number }> {
  if (input.status !== undefined && !isSubscriptionStatus(input.status)) {
    throw invalid('status', `"${input.status}" is not a subscription status; one of subscribed, unconfirmed, unsubscribed`);
  }
  const ids = [...new Set(input.contact_ids)];
  if (ids.length === 0) throw invalid('contact_ids', 'name at least one contact');
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const list = await requireList(trx, actor.accountId, listId, 'id');
    await requireContacts(trx, actor.accountId, ids);
    const status = isSubscriptionStatus(input.status) ? input.status : initialStatus(list);
    await upsertSubscription(trx, actor.accountId, listId, ids, status, input.source ?? 'api', now);
    return { list_id: listId, status, contacts: ids.length };
  });
}

export async function unsubscribeContact(deps: AppDeps, actor: Actor, listId: number, contactId: number, source = 'api'): Promise<SubscriptionView> {
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    await requireList(trx, actor.accountId, listId, 'id');
    const contact = await trx.selectFrom('contacts').select('id').where('account_id', '=', actor.accountId).where('id', '=', contactId).executeTakeFirst();
    if (!contact) throw notFound('contact', contactId, 'contact_id');
    await upsertSubscription(trx, actor.accountId, listId, [contactId], 'unsubscribed', source, now);
    const row = await trx
      .selectFrom('subscriptions')
      .select(['list_id', 'contact_id', 'status', 'source', 'created_at', 'updated_at'])
      .where('list_id', '=', listId)
      .where('contact_id', '=', contactId)
      .executeTakeFirstOrThrow();
    return { ...row, list_id: Number(row.list_id), contact_id: Number(row.contact_id) };
  });
}
