// An administrator sets (or resets) a user's password: given, or generated and returned once.
// The user's sessions end, so a reset after a suspected leak locks the old holder out.
import { recordAudit } from '../audit/record-audit.ts';
import { revokeUserSessions } from '../auth/revoke-sessions.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { inAccountUsersTransaction } from './lock-account-users.ts';
import { checkPassword, generatePassword, hashPassword } from './passwords.ts';
import { loadUserForChange } from './update-user.ts';
import { toUserView, type UserView } from './user-view.ts';

export async function setUserPassword(deps: AppDeps, actor: Actor, id: number, password?: string): Promise<{ user: UserView; password: string | null }> {
  const generated = password === undefined ? generatePassword() : null;
  const chosen = password ?? (generated as string);
  checkPassword(chosen);
  const passwordHash = await hashPassword(deps, chosen);
  const user = await inAccountUsersTransaction(deps, actor, async (trx) => {
    const row = await loadUserForChange(trx, actor, id);
    const now = deps.clock.now().toISOString();
    const updated = await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
    const sessions = await revokeUserSessions(trx, row.id, now);
    await recordAudit({ trx, now }, actor, 'user.password', `user:${row.id}`, { email: row.email, generated: generated !== null, sessions_ended: sessions });
    return updated;
  });
  return { user: toUserView(user), password: generated };
}
