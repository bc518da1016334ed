// Worker step: pending confirmation requests past their expiry become 'expired'. The campaign
// messages that waited for them need no nudge: their ledger rows come due at the same expiry and
// the decision skips them as consent_declined.
import type { AppDeps } from '../deps.ts';

export async function expireConsentRequests(deps: AppDeps, now: Date): Promise<number> {
  const r = await deps.store.db
    .updateTable('consent_requests')
    .set({ status: 'expired' })
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
