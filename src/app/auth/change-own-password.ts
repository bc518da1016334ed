// A signed-in user changes their own password, proving the current one. Wrong guesses count
// towards the sign-in throttle (a stolen session must not become a password oracle). The user's
// other sessions end; the one that made the change stays.
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { checkPassword, hashPassword, verifyPassword } from '../users/passwords.ts';
import { recordLoginFailure, refuseIfThrottled } from './login-throttle.ts';
import { revokeUserSessions } from './revoke-sessions.ts';

export async function changeOwnPassword(
  deps: AppDeps,
  actor: Actor,
  currentSessionId: number | null,
  input: { current_password: string; new_password: string },
): Promise<{ changed: true; other_sessions_ended: number }> {
  if (!actor.userId) {
    throw new AppError('invalid_state', 'only a signed-in user has a password; API keys and the CLI do not (an administrator uses POST /api/v1/users/:id/password)', null);
  }
  const { db } = deps.store;
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'password_hash'])
    .where('account_id', '=', actor.accountId)
    .where('id', '=', actor.userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!user) throw new AppError('unauthorized', 'the signed-in user no longer exists', null);
  await refuseIfThrottled(deps, user.email);
  if (!(await verifyPassword(user.password_hash, input.current_password))) {
    await recordLoginFailure(deps, user.email);
    throw invalid('current_password', 'is wrong');
  }
  checkPassword(input.new_password, 'new_password');
  if (input.new_password === input.current_password) throw invalid('new_password', 'is the same as the current password');
  const passwordHash = await hashPassword(deps, input.new_password);
  const now = deps.clock.now().toISOString();
  const ended = await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', user.id).execute();
    const n = await revokeUserSessions(trx, user.id, now, currentSessionId);
    await recordAudit({ trx, now }, actor, 'user.password', `user:${user.id}`, { email: user.email, self: true, sessions_ended: n });
    return n;
  });
  return { changed: true, other_sessions_ended: ended };
}
