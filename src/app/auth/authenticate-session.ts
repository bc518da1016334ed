// Resolves a session token to the person it signs in. Checked on every request against the
// user's current row: a disabled or deleted user's sessions stop at once, a role change applies
// to the next request. Use slides the expiry, written at most once a minute per session.
import { SESSION_TOUCH_INTERVAL_MS, sessionExpiry } from '../../core/session-lifetime.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { hashSessionToken, isWellFormedSessionToken } from './session-token.ts';

export interface AuthenticatedSession {
  actor: Actor;
  sessionId: number;
  expiresAt: string;
}

export async function authenticateSession(deps: AppDeps, token: string): Promise<AuthenticatedSession | null> {
  if (!isWellFormedSessionToken(token)) return null;
  const { db } = deps.store;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.created_at',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'sessions.revoked_at',
      'users.id as user_id',
      'users.account_id',
      'users.role',
      'users.disabled_at',
      'users.deleted_at',
    ])
    .where('sessions.token_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled_at !== null || row.deleted_at !== null) return null;
  const now = deps.clock.now();
  if (Date.parse(row.expires_at) <= now.getTime()) return null;

  let expiresAt = row.expires_at;
  if (now.getTime() - Date.parse(row.last_seen_at) >= SESSION_TOUCH_INTERVAL_MS) {
    expiresAt = sessionExpiry(new Date(row.created_at), now, deps.config.sessionHours).toISOString();
    // Conditional on the old last_seen_at: of two concurrent requests one writes, neither waits.
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString(), expires_at: expiresAt })
      .where('id', '=', row.session_id)
      .where('last_seen_at', '=', row.last_seen_at)
      .execute();
  }
  return {
    actor: { accountId: row.account_id, role: row.role, label: `user:${row.user_id}`, userId: row.user_id },
    sessionId: row.session_id,
    expiresAt,
  };
}
