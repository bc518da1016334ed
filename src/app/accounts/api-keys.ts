// API keys: "hk_<8 hex id>_<32 random base62>". Only a SHA-256 of the key is stored, so a leaked
// database does not leak keys; the prefix is kept to recognise a key in lists and logs.
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
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

export async function createApiKey(
  deps: AppDeps,
  input: { accountId: number; name: string; role: string; key?: string },
): Promise<{ id: number; key: string; role: string; prefix: string }> {
  if (!ROLES[input.role]) {
    throw new AppError('invalid_input', `unknown role "${input.role}"; one of ${Object.keys(ROLES).join(', ')}`, 'role');
  }
  const key = input.key ?? generateApiKey();
  if (!isWellFormedApiKey(key)) {
    throw new AppError('invalid_input', 'an API key looks like hk_<8 hex>_<20-64 letters or digits>', 'key');
  }
  const prefix = key.slice(0, 11);
  const row = await deps.store.db
    .insertInto('api_keys')
    .values({
      account_id: input.accountId,
      name: input.name,
      key_hash: hashApiKey(key),
      key_prefix: prefix,
      role: input.role,
      created_at: deps.clock.now().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key, role: input.role, prefix };
}

/** Resolves a presented key to the account and role it acts for, or null. */
export async function authenticateApiKey(deps: AppDeps, key: string): Promise<Actor | null> {
  if (!isWellFormedApiKey(key)) return null;
  const row = await deps.store.db
    .selectFrom('api_keys')
    .select(['id', 'account_id', 'role', 'revoked_at'])
    .where('key_hash', '=', hashApiKey(key))
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  return { accountId: row.account_id, role: row.role, label: `api_key:${row.id}` };
}
