// First start: a default account and an admin API key. The key is returned once (printed by the
// caller) or taken from HERALD_BOOTSTRAP_API_KEY, so automation can know it in advance.
import type { AppDeps } from '../deps.ts';
import { createApiKey, hashApiKey } from './api-keys.ts';

export interface BootstrapResult {
  accountId: number;
  /** Set only when a key was created now and was not given by configuration. */
  newApiKey: string | null;
}

export async function bootstrapDefaultAccount(deps: AppDeps): Promise<BootstrapResult> {
  const { db } = deps.store;
  const existing = await db.selectFrom('accounts').select('id').orderBy('id').executeTakeFirst();
  const accountId =
    existing?.id ??
    (
      await db
        .insertInto('accounts')
        .values({ name: 'Default account', parent_id: null, created_at: deps.clock.now().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  const configured = deps.config.bootstrapApiKey;
  if (configured) {
    const known = await db.selectFrom('api_keys').select('id').where('key_hash', '=', hashApiKey(configured)).executeTakeFirst();
    if (!known) await createApiKey(deps, { accountId, name: 'bootstrap (HERALD_BOOTSTRAP_API_KEY)', role: 'owner', key: configured });
    return { accountId, newApiKey: null };
  }
  const anyKey = await db.selectFrom('api_keys').select('id').where('account_id', '=', accountId).executeTakeFirst();
  if (anyKey) return { accountId, newApiKey: null };
  const created = await createApiKey(deps, { accountId, name: 'bootstrap', role: 'owner' });
  return { accountId, newApiKey: created.key };
}

export async function createAccount(deps: AppDeps, input: { name: string; parentId?: number | null }): Promise<number> {
  const row = await deps.store.db
    .insertInto('accounts')
    .values({ name: input.name, parent_id: input.parentId ?? null, created_at: deps.clock.now().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
