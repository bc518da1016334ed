// The account's settings document (accounts.settings, JSON). Each part of Herald owns one
// top-level key ("profile", "billing", "pacing", "approval", …); a change replaces only the keys it
// names, inside a transaction, so two parts never overwrite each other's settings.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';

export type AccountSettings = Record<string, unknown>;

/** The document (an empty one when the stored text is not a JSON object); `db` may be a transaction. */
export async function readAccountSettings(deps: AppDeps, accountId: number, db: Kysely<Database> = deps.store.db): Promise<AccountSettings> {
  const row = await db.selectFrom('accounts').select('settings').where('id', '=', accountId).executeTakeFirst();
  if (!row) throw notFound('account', accountId);
  const parsed = JSON.parse(row.settings || '{}') as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as AccountSettings) : {};
}

/**
 * Reads the document in a transaction, lets `change` compute the keys to replace (and write what
 * belongs with the change, such as its audit line, in the same transaction), and writes them.
 */
export async function changeAccountSettings<T>(
  deps: AppDeps,
  accountId: number,
  change: (current: AccountSettings, trx: Kysely<Database>) => Promise<{ patch: AccountSettings; result: T }>,
): Promise<T> {
  return deps.store.db.transaction().execute(async (trx) => {
    const current = await readAccountSettings(deps, accountId, trx);
    const { patch, result } = await change(current, trx);
    await trx.updateTable('accounts').set({ settings: JSON.stringify({ ...current, ...patch }) }).where('id', '=', accountId).execute();
    return result;
  });
}

export async function updateAccountSettings(deps: AppDeps, accountId: number, patch: AccountSettings): Promise<AccountSettings> {
  return changeAccountSettings(deps, accountId, async (current) => ({ patch, result: { ...current, ...patch } }));
}
