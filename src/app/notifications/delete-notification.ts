// Deleting a notification from one's center (F2.1). It is hidden for this principal only: a
// notification belongs to everyone in the account who may see it, and one person clearing their
// list must not take "delivery failed" away from the colleague who has to act on it (nor from
// the audit of what Herald reported). The row stays; this principal's state says deleted.
import type { Actor, AppDeps } from '../deps.ts';
import { loadVisibleNotification, principalOf } from './visible-notifications.ts';

export async function deleteNotification(deps: AppDeps, actor: Actor, id: number): Promise<void> {
  await loadVisibleNotification(deps.store.db, actor, id);
  const now = deps.clock.now().toISOString();
  await deps.store.db
    .insertInto('notification_states')
    .values({ notification_id: id, principal: principalOf(actor), read_at: null, deleted_at: now })
    .onConflict((oc) => oc.columns(['notification_id', 'principal']).doUpdateSet({ deleted_at: now }))
    .execute();
}
