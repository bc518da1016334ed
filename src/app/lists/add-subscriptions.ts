// Subscribes many contacts to lists in multi-row statements (bulk upserts and CSV imports). An
// existing subscription is left as it is: an import must not re-subscribe someone who
// unsubscribed, nor mark as confirmed someone who has not confirmed a double opt-in yet.
import { type Kysely, sql } from 'kysely';
import type { DialectCapabilities } from '../../store/dialect-capabilities.ts';
import type { Database, SubscriptionsTable } from '../../store/schema.ts';
import { type BatchShape, runBatched } from '../contacts/batch-statement.ts';
import type { SubscriptionStatus } from './subscription-status.ts';

export interface ListSubscriptionPlan {
  lists: { id: number; status: SubscriptionStatus }[];
  /** Where the consent came from: "api", "import", "one-click", … */
  source: string;
}

const insertNewSubscriptions: BatchShape = {
  name: 'subscriptions.insert_new',
  columns: ['account_id', 'list_id', 'contact_id', 'status', 'source', 'created_at', 'updated_at'],
  build: (db, rows) =>
    db
      .insertInto('subscriptions')
      .values(rows as unknown as SubscriptionsTable[])
      .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing()),
};

/** Returns how many subscriptions were created (existing ones are not counted). */
export async function addSubscriptions(
  db: Kysely<Database>,
  caps: DialectCapabilities,
  accountId: number,
  contactIds: readonly number[],
  plan: ListSubscriptionPlan,
  now: string,
): Promise<number> {
  if (contactIds.length === 0 || plan.lists.length === 0) return 0;
  const values: unknown[] = [];
  for (const list of plan.lists) {
    for (const contactId of contactIds) values.push(accountId, list.id, contactId, list.status, plan.source, now, now);
  }
  const { affected } = await runBatched(db, caps, insertNewSubscriptions, values, contactIds.length * plan.lists.length);
  return affected;
}

// One parameter carries the whole key list, so the SQL text never changes: json_each on SQLite,
// = any(array) on PostgreSQL. (The only dialect difference of this file.)
function keyIn(caps: DialectCapabilities, column: 'email' | 'phone', keys: readonly string[]) {
  return caps.name === 'postgres'
    ? sql<boolean>`${sql.ref(`contacts.${column}`)} = any(cast(${keys} as text[]))`
    : sql<boolean>`${sql.ref(`contacts.${column}`)} in (select value from json_each(${JSON.stringify(keys)}))`;
}

/**
 * Subscribes the contacts with these emails (or, for `phone`, the email-less contacts with these
 * phones) in one INSERT … SELECT per list: the importer's way, which needs no contact ids in
 * JavaScript (RETURNING them costs more than the subscriptions themselves).
 */
export async function addSubscriptionsByKey(
  db: Kysely<Database>,
  caps: DialectCapabilities,
  accountId: number,
  key: 'email' | 'phone',
  keys: readonly string[],
  plan: ListSubscriptionPlan,
  now: string,
): Promise<number> {
  if (keys.length === 0) return 0;
  let added = 0;
  for (const list of plan.lists) {
    let contacts = db
      .selectFrom('contacts')
      .select([
        'contacts.account_id',
        sql<number>`cast(${list.id} as bigint)`.as('list_id'),
        'contacts.id',
        sql<string>`cast(${list.status} as text)`.as('status'),
        sql<string>`cast(${plan.source} as text)`.as('source'),
        sql<string>`cast(${now} as text)`.as('created_at'),
        sql<string>`cast(${now} as text)`.as('updated_at'),
      ])
      .where('contacts.account_id', '=', accountId)
      .where(keyIn(caps, key, keys));
    if (key === 'phone') contacts = contacts.where('contacts.email', 'is', null);
    const result = await db
      .insertInto('subscriptions')
      .columns(['account_id', 'list_id', 'contact_id', 'status', 'source', 'created_at', 'updated_at'])
      .expression(contacts)
      .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}
