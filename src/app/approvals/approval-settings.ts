// Reading and changing the account's approval rule (accounts.settings → "approval"). Only this key
// is written, inside a transaction, so the other parts' settings stay as they are; the change is
// audited in the same transaction (switching four-eyes off is something to be able to trace).
import type { Kysely } from 'kysely';
import { type ApprovalSettings, resolveApprovalSettings } from '../../core/approval-rules.ts';
import type { Database } from '../../store/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid, notFound } from '../errors.ts';

async function readSettings(db: Kysely<Database>, accountId: number): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('accounts').select('settings').where('id', '=', accountId).executeTakeFirst();
  if (!row) throw notFound('account', accountId);
  const parsed = JSON.parse(row.settings || '{}') as unknown;
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

/** The account's approval rule; `db` lets a launch read it inside its own transaction. */
export async function loadApprovalSettings(deps: AppDeps, accountId: number, db: Kysely<Database> = deps.store.db): Promise<ApprovalSettings> {
  return resolveApprovalSettings((await readSettings(db, accountId)).approval);
}

export async function updateApprovalSettings(deps: AppDeps, actor: Actor, patch: Partial<ApprovalSettings>): Promise<ApprovalSettings> {
  for (const key of ['required', 'four_eyes'] as const) {
    if (patch[key] !== undefined && typeof patch[key] !== 'boolean') throw invalid(key, `${key}: must be true or false`);
  }
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const settings = await readSettings(trx, actor.accountId);
    const before = resolveApprovalSettings(settings.approval);
    const next: ApprovalSettings = {
      required: patch.required ?? before.required,
      four_eyes: patch.four_eyes ?? before.four_eyes,
    };
    await trx
      .updateTable('accounts')
      .set({ settings: JSON.stringify({ ...settings, approval: next }) })
      .where('id', '=', actor.accountId)
      .execute();
    if (next.required !== before.required || next.four_eyes !== before.four_eyes) {
      await recordAudit({ trx, now }, actor, 'settings.approval', `account:${actor.accountId}`, { before, after: next });
    }
    return next;
  });
}
