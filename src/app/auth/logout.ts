// Signing out revokes the session; an unknown or already ended token is no error (the browser
// may hold a stale cookie).
import type { AppDeps } from '../deps.ts';
import { hashSessionToken, isWellFormedSessionToken } from './session-token.ts';

export async function logout(deps: AppDeps, token: string): Promise<{ revoked: boolean }> {
  if (!isWellFormedSessionToken(token)) return { revoked: false };
  const r = await deps.store.db
    .updateTable('sessions')
    .set({ revoked_at: deps.clock.now().toISOString() })
    .where('token_hash', '=', hashSessionToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return { revoked: Number(r.numUpdatedRows) > 0 };
}
