// Whose email subscription a request reads or changes (F2.2): the signed-in user's own, or — for
// an actor with users:manage — another user of the same account named by id or email. API keys
// are not people and have no mailbox: they get a clear refusal instead of a silent no-op.
import { roleHas, rolesWith } from '../../core/permissions.ts';
import type { UserRow } from '../../store/schema-orchestration.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid, notFound } from '../errors.ts';

export interface SubscriptionTarget {
  userId?: number | null;
  email?: string | null;
}

export async function subscriptionUser(deps: AppDeps, actor: Actor, target: SubscriptionTarget = {}): Promise<UserRow> {
  const named = target.userId != null || target.email != null;
  if (!named && actor.userId == null) {
    throw invalid(
      'user_id',
      `email subscriptions belong to users, and this request is made as ${actor.label}, not as a user; sign in as the user, or name one with ?user_id= (needs users:manage)`,
    );
  }
  const own = !named || (target.userId != null && target.userId === actor.userId);
  if (!own && !roleHas(actor.role, 'users:manage')) {
    throw new AppError(
      'forbidden',
      `another user's email subscription needs the permission users:manage, held by the roles ${rolesWith('users:manage').join(', ')}; you have the role ${actor.role}`,
      target.userId != null ? 'user_id' : 'user',
      { permission: 'users:manage', roles: rolesWith('users:manage') },
    );
  }
  let q = deps.store.db.selectFrom('users').selectAll().where('account_id', '=', actor.accountId);
  if (named && target.userId != null) q = q.where('id', '=', target.userId);
  else if (named) q = q.where('email', '=', String(target.email).trim().toLowerCase());
  else q = q.where('id', '=', actor.userId as number);
  const user = await q.executeTakeFirst();
  if (!user) {
    if (named && target.userId == null) throw notFound('user', String(target.email), 'user');
    throw notFound('user', target.userId ?? (actor.userId as number), 'user_id');
  }
  return user;
}
