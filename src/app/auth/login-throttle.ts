// The stored side of the sign-in throttle (rule in core/login-throttle.ts): failures are kept per
// email for the window, so the throttle holds across restarts and across several API processes.
import { LOGIN_WINDOW_MS, loginRetryAfterSeconds } from '../../core/login-throttle.ts';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';

export async function refuseIfThrottled(deps: AppDeps, email: string): Promise<void> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  const rows = await deps.store.db.selectFrom('login_failures').select('created_at').where('email', '=', email).where('created_at', '>', since).execute();
  const wait = loginRetryAfterSeconds(rows.map((r) => r.created_at), now);
  if (wait > 0) {
    throw new AppError(
      'too_many_requests',
      `too many failed sign-ins for ${email}; try again in ${wait} seconds`,
      'email',
      { retry_after_seconds: wait },
    );
  }
}

export async function recordLoginFailure(deps: AppDeps, email: string): Promise<void> {
  const now = deps.clock.now();
  const { db } = deps.store;
  await db.insertInto('login_failures').values({ email, created_at: now.toISOString() }).execute();
  // Failures older than the window no longer count; drop them so the table stays small.
  await db.deleteFrom('login_failures').where('created_at', '<=', new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString()).execute();
}

export async function clearLoginFailures(deps: AppDeps, email: string): Promise<void> {
  await deps.store.db.deleteFrom('login_failures').where('email', '=', email).execute();
}
