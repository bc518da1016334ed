// Takes a suppression off by hand. The row stays (removed_at is set) so the audit can show what
// was suppressed, since when and by whom; the decision ignores it from now on.
import type { Actor, AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { findSuppressionRow } from './read-suppressions.ts';
import { type SuppressionView, toSuppressionView } from './suppression-view.ts';

export async function removeSuppression(deps: AppDeps, actor: Actor, id: number): Promise<SuppressionView> {
  const now = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const row = await findSuppressionRow(trx, actor.accountId, id);
    if (row.removed_at !== null) throw new AppError('invalid_state', `suppression ${id} was already removed on ${row.removed_at}`, 'id');
    const updated = await trx
      .updateTable('suppressions')
      .set({ removed_at: now })
      .where('account_id', '=', actor.accountId)
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    // A concurrent removal between the read and the update: report it like the check above.
    if (!updated) throw new AppError('invalid_state', `suppression ${id} was already removed`, 'id');
    await recordAudit({ trx, now }, actor, 'suppression.remove', `${row.channel}:${row.address}`, {
      id,
      reason: row.reason,
      source: row.source,
      created_at: row.created_at,
    });
    return toSuppressionView(updated, now);
  });
}
