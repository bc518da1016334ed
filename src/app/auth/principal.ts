// What a signed-in principal sees about itself: the login answer and GET /api/v1/auth/me share it.
import { PERMISSIONS, ROLES } from '../permissions.ts';
import type { Actor, AppDeps } from '../deps.ts';
import type { Permission } from '../permissions.ts';

export interface PrincipalUser {
  id: number;
  email: string;
  name: string | null;
  role: string;
}

export interface WhoAmI {
  kind: 'user' | 'api_key';
  user: PrincipalUser | null;
  role: string;
  permissions: Permission[];
  account: { id: number; name: string };
  /** Every role and its permissions, so a screen can say which role would allow what it greys out. */
  roles: Record<string, Permission[]>;
}

export function permissionsOf(role: string): Permission[] {
  return PERMISSIONS.filter((p) => ROLES[role]?.includes(p));
}

export function rolesTable(): Record<string, Permission[]> {
  return Object.fromEntries(Object.keys(ROLES).map((r) => [r, permissionsOf(r)]));
}

export async function accountSummary(deps: AppDeps, accountId: number): Promise<{ id: number; name: string }> {
  return deps.store.db.selectFrom('accounts').select(['id', 'name']).where('id', '=', accountId).executeTakeFirstOrThrow();
}

export async function whoAmI(deps: AppDeps, actor: Actor): Promise<WhoAmI> {
  let user: PrincipalUser | null = null;
  if (actor.userId) {
    user =
      (await deps.store.db
        .selectFrom('users')
        .select(['id', 'email', 'name', 'role'])
        .where('account_id', '=', actor.accountId)
        .where('id', '=', actor.userId)
        .executeTakeFirst()) ?? null;
  }
  return {
    kind: actor.userId ? 'user' : 'api_key',
    user,
    role: actor.role,
    permissions: permissionsOf(actor.role),
    account: await accountSummary(deps, actor.accountId),
    roles: rolesTable(),
  };
}
