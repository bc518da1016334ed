// The account's users (deleted ones are gone from every view; their rows only keep ids taken).
import type { Actor, AppDeps } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';
import { normalizeUserEmail } from '../../core/user-email.ts';
import { USER_VIEW_COLUMNS, toUserView, type UserView } from './user-view.ts';

export async function listUsers(deps: AppDeps, actor: Actor): Promise<{ items: UserView[] }> {
  const rows = await deps.store.db
    .selectFrom('users')
    .select(USER_VIEW_COLUMNS)
    .where('account_id', '=', actor.accountId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return { items: rows.map(toUserView) };
}

export async function getUser(deps: AppDeps, actor: Actor, id: number): Promise<UserView> {
  const row = await deps.store.db
    .selectFrom('users')
    .select(USER_VIEW_COLUMNS)
    .where('account_id', '=', actor.accountId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('user', id);
  return toUserView(row);
}

/** The account's user with this email (the CLI names users by email). */
export async function findUserByEmail(deps: AppDeps, actor: Actor, email: string, field = 'email'): Promise<UserView> {
  const normalized = normalizeUserEmail(email);
  if (!normalized.ok) throw invalid(field, normalized.reason);
  const row = await deps.store.db
    .selectFrom('users')
    .select(USER_VIEW_COLUMNS)
    .where('account_id', '=', actor.accountId)
    .where('email', '=', normalized.value)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('user', normalized.value, field);
  return toUserView(row);
}
