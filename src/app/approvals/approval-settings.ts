// Reading and changing the account's approval rule (accounts.settings → "approval"). Only this key
// is written, inside a transaction, so the other parts' settings stay as they are; the change is
// audited in the same transaction (switching four-eyes off is something to be able to trace).
import type { Kysely } from 'kysely';
import { type ApprovalSettings, resolveApprovalSettings } from '../../core/approval-rules.ts';
import type { Database } from '../../store/schema.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { changeAccountSettings, readAccountSettings } from '../accounts/account-settings.ts';

/** The account's approval rule; `db` lets a launch read it inside its own transaction. */
export async function loadApprovalSettings(deps: AppDeps, accountId: number, db: Kysely<Database> = deps.store.db): Promise<ApprovalSettings> {
  return resolveApprovalSettings((await readAccountSettings(deps, accountId, db)).approval);
}

export async function updateApprovalSettings(deps: AppDeps, actor: Actor, patch: Partial<ApprovalSettings>): Promise<ApprovalSettings> {
  for (const key of ['required', 'four_eyes'] as const) {
    if (patch[key] !== undefined && typeof patch[key] !== 'boolean') throw invalid(key, `${key}: must be true or false`);
  }
  const now = deps.clock.now().toISOString();
  return changeAccountSettings(deps, actor.accountId, async (settings, trx) => {
    const before = resolveApprovalSettings(settings.approval);
    const next: ApprovalSettings = {
      required: patch.required ?? before.required,
      four_eyes: patch.four_eyes ?? before.four_eyes,
    };
    if (next.required !== before.required || next.four_eyes !== before.four_eyes) {
      await recordAudit({ trx, now }, actor, 'settings.approval', `account:${actor.accountId}`, { before, after: next });
    }
    return { patch: { approval: next }, result: next };
  });
}
