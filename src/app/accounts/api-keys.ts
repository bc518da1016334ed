// API keys: "hk_<8 hex id>_<32 random base62>". Only a SHA-256 of the key is stored, so a leaked
// database does not leak keys; the prefix is kept to recognise a key in lists and logs.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, AppDeps } from '../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { AppError, notFound } from '../errors.ts';
import { ROLES } from '../permissions.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateApiKey(): string {
  const bytes = randomBytes(32);
  let secret = '';
  for (const b of bytes) secret += ALPHABET[b % ALPHABET.length];
  return `hk_${randomBytes(4).toString('hex')}_${secret}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isWellFormedApiKey(key: string): boolean {
  return /^hk_[0-9a-f]{8}_[A-Za-z0-9]{20,64}$/.test(key);
}

export interface ApiKeyView {
  id: number;
  name: string;
  prefix: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/**
 * Creates a key; shown once. With an actor (a person or key managing keys) the creation is audited
 * in the same transaction; without one it is the system's own (first start, tests).
 */
export async function createApiKey(
  deps: AppDeps,
  input: { accountId: number; name: string; role: string; key?: string },
  actor?: Actor,
): Promise<{ id: number; key: string; role: string; prefix: string }> {
  if (!ROLES[input.role]) {
    throw new AppError('invalid_input', `unknown role "${input.role}"; one of ${Object.keys(ROLES).join(', ')}`, 'role');
  }
  const key = input.key ?? generateApiKey();
  if (!isWellFormedApiKey(key)) {
    throw new AppError('invalid_input', 'an API key looks like hk_<8 hex>_<20-64 letters or digits>', 'key');
  }
  const prefix = key.slice(0, 11);
  const now = deps.clock.now().toISOString();
  const row = await deps.store.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('api_keys')
      .values({ account_id: input.accountId, name: input.name, key_hash: hashApiKey(key), key_prefix: prefix, role: input.role, created_at: now, created_by: actor?.label ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (actor) await recordAudit({ trx, now }, actor, 'api_key.create', `api_key:${created.id}`, { name: input.name, role: input.role, prefix });
    return created;
  });
  return { id: row.id, key, role: input.role, prefix };
}

export async function listApiKeys(deps: AppDeps, actor: Actor): Promise<{ items: ApiKeyView[] }> {
  const rows = await deps.store.db
    .selectFrom('api_keys')
    .select(['id', 'name', 'key_prefix as prefix', 'role', 'created_at', 'last_used_at', 'revoked_at'])
    .where('account_id', '=', actor.accountId)
    .orderBy('id')
    .execute();
  return { items: rows };
}

/** Revokes a key of the account; revoking a revoked key is no error and changes nothing. */
export async function revokeApiKey(deps: AppDeps, actor: Actor, id: number): Promise<ApiKeyView> {
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('api_keys')
      .select(['id', 'name', 'key_prefix as prefix', 'role', 'created_at', 'last_used_at', 'revoked_at'])
      .where('account_id', '=', actor.accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('API key', id);
    if (row.revoked_at) return row;
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
    await recordAudit({ trx, now }, actor, 'api_key.revoke', `api_key:${id}`, { name: row.name, role: row.role, prefix: row.prefix });
    return { ...row, revoked_at: now };
  });
}

/** Resolves a presented key to the account and role it acts for, or null. */
export async function authenticateApiKey(deps: AppDeps, key: string): Promise<Actor | null> {
  if (!isWellFormedApiKey(key)) return null;
  const row = await deps.store.db
    .selectFrom('api_keys')
    .select(['id', 'account_id', 'role', 'revoked_at', 'last_used_at'])
    .where('key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  // "last used" for the key list, written at most once a minute per key (not on every request).
  const now = deps.clock.now();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= 60_000) {
    let touch = deps.store.db.updateTable('api_keys').set({ last_used_at: now.toISOString() }).where('id', '=', row.id);
    touch = row.last_used_at ? touch.where('last_used_at', '=', row.last_used_at) : touch.where('last_used_at', 'is', null);
    await touch.execute();
  }
  return { accountId: row.account_id, role: row.role, label: `api_key:${row.id}` };
}
