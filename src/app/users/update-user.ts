// Changes a user's name, role or disabled state; disabling also ends their sessions at once.
// The account's last active owner can be neither demoted nor disabled (nor deleted), so an
// account always keeps someone who can manage its users.
import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { UserRow } from '../../store/schema-orchestration.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { revokeUserSessions } from '../auth/revoke-sessions.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, notFound } from '../errors.ts';
import { checkRole, checkUserName } from './create-user.ts';
import { inAccountUsersTransaction, otherActiveOwners } from './lock-account-users.ts';
import { toUserView, type UserView } from './user-view.ts';

export interface UpdateUserInput {
  name?: string | null;
  role?: string;
  disabled?: boolean;
}

export async function loadUserForChange(trx: Transaction<Database>, actor: Actor, id: number): Promise<UserRow> {
  const row = await trx.selectFrom('users').selectAll().where('account_id', '=', actor.accountId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('user', id);
  return row;
}

/** Refuses a change that would leave the account without an active owner; `field` names the change. */
export async function keepAnOwner(trx: Transaction<Database>, user: UserRow, field: string, what: string): Promise<void> {
  const isActiveOwner = user.role === 'owner' && user.disabled_at === null;
  if (!isActiveOwner) return;
  if ((await otherActiveOwners(trx, user.account_id, user.id)) > 0) return;
  throw new AppError(
    'invalid_state',
    `${user.email} is the last active owner of this account and cannot be ${what}; make another user owner first`,
    field,
  );
}

export async function updateUser(deps: AppDeps, actor: Actor, id: number, input: UpdateUserInput): Promise<UserView> {
  if (input.role !== undefined) checkRole(input.role);
  const name = input.name === undefined ? undefined : checkUserName(input.name);
  return inAccountUsersTransaction(deps, actor, async (trx) => {
    const user = await loadUserForChange(trx, actor, id);
    const now = deps.clock.now().toISOString();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (name !== undefined && name !== user.name) changes.name = { from: user.name, to: name };
    if (input.role !== undefined && input.role !== user.role) {
      if (user.role === 'owner') await keepAnOwner(trx, user, 'role', `given the role ${input.role}`);
      changes.role = { from: user.role, to: input.role };
    }
    const disabling = input.disabled === true && user.disabled_at === null;
    const enabling = input.disabled === false && user.disabled_at !== null;
    if (disabling) await keepAnOwner(trx, user, 'disabled', 'disabled');
    if (Object.keys(changes).length === 0 && !disabling && !enabling) return toUserView(user);

    const updated = await trx
      .updateTable('users')
      .set({
        updated_at: now,
        ...(changes.name ? { name } : {}),
        ...(changes.role ? { role: input.role } : {}),
        ...(disabling ? { disabled_at: now } : enabling ? { disabled_at: null } : {}),
      })
      .where('id', '=', user.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const subject = `user:${user.id}`;
    if (Object.keys(changes).length > 0) await recordAudit({ trx, now }, actor, 'user.update', subject, { email: user.email, changes });
    if (disabling) {
      const sessions = await revokeUserSessions(trx, user.id, now);
      await recordAudit({ trx, now }, actor, 'user.disable', subject, { email: user.email, sessions_ended: sessions });
    }
    if (enabling) await recordAudit({ trx, now }, actor, 'user.enable', subject, { email: user.email });
    return toUserView(updated);
  });
}
