// One line in the account's audit log: who did what to which subject, with the details as JSON.
// Written in the same transaction as the change it records, so the log never claims a change that
// was rolled back nor misses one that was kept.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { Actor, AppDeps } from '../deps.ts';

/** Inside a transaction: the transaction and the time the change was made. */
export interface AuditTransaction {
  trx: Kysely<Database>;
  now: string;
}

export async function recordAudit(
  into: AppDeps | AuditTransaction,
  actor: Actor,
  action: string,
  subject: string,
  data: Record<string, unknown>,
): Promise<void> {
  const { db, now } = 'trx' in into ? { db: into.trx, now: into.now } : { db: into.store.db, now: into.clock.now().toISOString() };
  await db
    .insertInto('audit_log')
    .values({ account_id: actor.accountId, actor: actor.label, action, subject, data: JSON.stringify(data), created_at: now })
    .execute();
}
