// The account's settings document (accounts.settings, JSON). Each part of Herald owns one
// top-level key ("profile", "billing", "pacing", …); updates replace only the keys they name,
// inside a transaction, so two parts never overwrite each other's settings.
import type { AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';

export type AccountSettings = Record<string, unknown>;

export async function readAccountSettings(deps: AppDeps, accountId: number): Promise<AccountSettings> {
  const row = await deps.store.db.selectFrom('accounts').select('settings').where('id', '=', accountId).executeTakeFirst();
  if (!row) throw notFound('account', accountId);
  return JSON.parse(row.settings) as AccountSettings;
}

export async function updateAccountSettings(deps: AppDeps, accountId: number, patch: AccountSettings): Promise<AccountSettings> {
  return deps.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('accounts').select('settings').where('id', '=', accountId).executeTakeFirst();
    if (!row) throw notFound('account', accountId);
    const next = { ...(JSON.parse(row.settings) as AccountSettings), ...patch };
    await trx.updateTable('accounts').set({ settings: JSON.stringify(next) }).where('id', '=', accountId).execute();
    return next;
  });
}
