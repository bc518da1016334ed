// A new user of the account: email as sign-in name (lower-cased, unique across the installation),
// a role, and a password — given (at least 10 characters) or generated and returned this once.
import { normalizeUserEmail } from '../../core/user-email.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { isUniqueViolation } from '../contacts/unique-violation.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { AppError, invalid } from '../errors.ts';
import { ROLES, ROLE_NAMES } from '../permissions.ts';
import { checkPassword, generatePassword, hashPassword } from './passwords.ts';
import { USER_VIEW_COLUMNS, toUserView, type UserView } from './user-view.ts';

export interface CreateUserInput {
  email: string;
  name?: string | null;
  role: string;
  password?: string;
}

export function checkRole(role: string, field = 'role'): void {
  if (!ROLES[role]) throw invalid(field, `unknown role "${role}"; one of ${ROLE_NAMES.join(', ')}`);
}

export function checkUserName(name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim();
  if (trimmed.length > 200) throw invalid('name', 'must be at most 200 characters');
  return trimmed === '' ? null : trimmed;
}

export async function createUser(deps: AppDeps, actor: Actor, input: CreateUserInput): Promise<{ user: UserView; password: string | null }> {
  const email = normalizeUserEmail(input.email);
  if (!email.ok) throw invalid('email', email.reason);
  checkRole(input.role);
  const name = checkUserName(input.name);
  const generated = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? (generated as string);
  checkPassword(password);
  const taken = await deps.store.db.selectFrom('users').select('id').where('email', '=', email.value).executeTakeFirst();
  if (taken) throw new AppError('conflict', `a user with the email ${email.value} already exists`, 'email');

  const passwordHash = await hashPassword(deps, password);
  const now = deps.clock.now().toISOString();
  try {
    const row = await deps.store.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('users')
        .values({ account_id: actor.accountId, email: email.value, name, password_hash: passwordHash, role: input.role, created_at: now, updated_at: now })
        .returning(USER_VIEW_COLUMNS)
        .executeTakeFirstOrThrow();
      await recordAudit({ trx, now }, actor, 'user.create', `user:${created.id}`, { email: email.value, name, role: input.role, password_generated: generated !== null });
      return created;
    });
    return { user: toUserView(row), password: generated };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `a user with the email ${email.value} already exists`, 'email');
    throw err;
  }
}
