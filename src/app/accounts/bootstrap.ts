// First start: a default account, an admin API key and an owner user for the dashboard. The key is
// returned once (printed by the caller) or taken from HERALD_BOOTSTRAP_API_KEY, so automation can
// know it in advance; likewise the owner's password (HERALD_ADMIN_PASSWORD or generated).
import type { AppDeps } from '../deps.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';
import { generatePassword, hashPassword } from '../users/passwords.ts';
import { createApiKey, hashApiKey } from './api-keys.ts';

export interface BootstrapResult {
  accountId: number;
  /** Set only when a key was created now and was not given by configuration. */
  newApiKey: string | null;
  /** Set only when the first owner user was created now; `password` only when it was generated. */
  newAdmin: { email: string; password: string | null } | null;
}

export async function bootstrapDefaultAccount(deps: AppDeps): Promise<BootstrapResult> {
  const account = await bootstrapAccountAndKey(deps);
  return { ...account, newAdmin: await bootstrapOwnerUser(deps, account.accountId) };
}

/** The first owner (HERALD_ADMIN_EMAIL, default admin@localhost) when the account has no user yet. */
async function bootstrapOwnerUser(deps: AppDeps, accountId: number): Promise<BootstrapResult['newAdmin']> {
  const { db } = deps.store;
  const anyUser = await db.selectFrom('users').select('id').where('account_id', '=', accountId).executeTakeFirst();
  if (anyUser) return null;
  const { email, password: configured } = deps.config.admin;
  const password = configured ?? generatePassword();
  const now = deps.clock.now().toISOString();
  try {
    await db
      .insertInto('users')
      .values({ account_id: accountId, email, name: 'Administrator', password_hash: await hashPassword(deps, password), role: 'owner', created_at: now, updated_at: now })
      .execute();
  } catch (err) {
    // Another process starting at the same moment created it, or the email belongs to a user of
    // another account: say so rather than start without a way to sign in unnoticed.
    if (isUniqueViolation(err)) {
      deps.log.warn({ email, accountId }, 'no first owner user created: a user with this email (HERALD_ADMIN_EMAIL) already exists; add one with herald users add');
      return null;
    }
    throw err;
  }
  return { email, password: configured ? null : password };
}

async function bootstrapAccountAndKey(deps: AppDeps): Promise<Omit<BootstrapResult, 'newAdmin'>> {
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
