// The CLI's --as <email>: acts as that person (their account, role and "user:<id>" label), e.g. to
// approve a campaign under four-eyes from a terminal. A disabled or deleted user cannot be used.
import { normalizeUserEmail } from '../../core/user-email.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';

export async function actorForUser(deps: AppDeps, email: string, field = '--as'): Promise<Actor> {
  const normalized = normalizeUserEmail(email);
  if (!normalized.ok) throw invalid(field, normalized.reason);
  const user = await deps.store.db
    .selectFrom('users')
    .select(['id', 'account_id', 'role', 'disabled_at'])
    .where('email', '=', normalized.value)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', `no user ${normalized.value}`, field);
  if (user.disabled_at) throw new AppError('invalid_state', `the user ${normalized.value} is disabled`, field);
  return { accountId: user.account_id, role: user.role, label: `user:${user.id}`, userId: user.id };
}
