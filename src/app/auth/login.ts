// Password sign-in. Unknown email, wrong password and disabled user get the same answer, and an
// unknown email still costs one argon2 verification, so neither the message nor the time tells
// an outsider which addresses have accounts. Repeated failures per email are throttled.
import { parseOptions } from '@node-rs/argon2';
import { sessionExpiry } from '../../core/session-lifetime.ts';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { Permission } from '../permissions.ts';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../users/passwords.ts';
import { clearLoginFailures, recordLoginFailure, refuseIfThrottled } from './login-throttle.ts';
import { accountSummary, permissionsOf, type PrincipalUser } from './principal.ts';
import { generateSessionToken, hashSessionToken } from './session-token.ts';

export const WRONG_CREDENTIALS = 'the email or the password is wrong';

export interface LoginResult {
  token: string;
  expires_at: string;
  user: PrincipalUser;
  permissions: Permission[];
  account: { id: number; name: string };
}

function costDiffers(deps: AppDeps, passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    const c = deps.config.passwordHashing;
    return o.memoryCost !== c.memoryKiB || o.timeCost !== c.timeCost || o.parallelism !== c.parallelism;
  } catch {
    return false;
  }
}

export async function login(deps: AppDeps, input: { email: string; password: string }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  await refuseIfThrottled(deps, email);
  const { db } = deps.store;
  const user = await db.selectFrom('users').selectAll().where('email', '=', email).where('deleted_at', 'is', null).executeTakeFirst();
  let ok = false;
  if (user) ok = await verifyPassword(user.password_hash, input.password);
  else await verifyDummyPassword(deps, input.password);
  if (!user || !ok || user.disabled_at !== null) {
    await recordLoginFailure(deps, email);
    throw new AppError('unauthorized', WRONG_CREDENTIALS, null);
  }

  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const token = generateSessionToken();
  const expiresAt = sessionExpiry(now, now, deps.config.sessionHours).toISOString();
  // A hash made at an older cost is replaced now that the password is known to be right.
  const rehashed = costDiffers(deps, user.password_hash) ? await hashPassword(deps, input.password) : null;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sessions')
      .values({ account_id: user.account_id, user_id: user.id, token_hash: hashSessionToken(token), created_at: nowIso, expires_at: expiresAt, last_seen_at: nowIso })
      .execute();
    await trx
      .updateTable('users')
      .set({ last_login_at: nowIso, ...(rehashed ? { password_hash: rehashed } : {}) })
      .where('id', '=', user.id)
      .execute();
  });
  await clearLoginFailures(deps, email);
  return {
    token,
    expires_at: expiresAt,
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    permissions: permissionsOf(user.role),
    account: await accountSummary(deps, user.account_id),
  };
}
