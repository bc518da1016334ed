// Deleting a user: they can no longer sign in and vanish from lists; the row stays (marked
// deleted, email released as "deleted+<id>@herald.invalid") so that "user:<id>" in audit trails
// and four-eyes checks keeps naming the same person. The audit entry keeps the email.
import { recordAudit } from '../audit/record-audit.ts';
import { revokeUserSessions } from '../auth/revoke-sessions.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { inAccountUsersTransaction } from './lock-account-users.ts';
import { keepAnOwner, loadUserForChange } from './update-user.ts';

export async function deleteUser(deps: AppDeps, actor: Actor, id: number): Promise<{ deleted: true; id: number }> {
  return inAccountUsersTransaction(deps, actor, async (trx) => {
    const user = await loadUserForChange(trx, actor, id);
    await keepAnOwner(trx, user, 'id', 'deleted');
    const now = deps.clock.now().toISOString();
    await trx
      .updateTable('users')
      .set({ deleted_at: now, disabled_at: user.disabled_at ?? now, email: `deleted+${user.id}@herald.invalid`, updated_at: now })
      .where('id', '=', user.id)
      .execute();
    const sessions = await revokeUserSessions(trx, user.id, now);
    await recordAudit({ trx, now }, actor, 'user.delete', `user:${user.id}`, { email: user.email, name: user.name, role: user.role, sessions_ended: sessions });
    return { deleted: true as const, id: user.id };
  });
}
