// Ends a user's sessions: when the user is disabled or deleted, or their password changes (then
// all but the session that changed it).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';

export async function revokeUserSessions(db: Kysely<Database>, userId: number, now: string, exceptSessionId: number | null = null): Promise<number> {
  let q = db.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId !== null) q = q.where('id', '!=', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
