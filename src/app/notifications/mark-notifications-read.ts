// Marking notifications read, for this principal only (F2.1): one person's "read" is not
// another's, so the badge of a colleague (or of another API key) keeps counting. The first read
// time is kept when something is marked twice.
import { sql } from 'kysely';
import type { Actor, AppDeps } from '../deps.ts';
import { countUnreadNotifications } from './count-unread-notifications.ts';
import { loadVisibleNotification, type NotificationView, principalOf, toNotificationView, visibleNotifications } from './visible-notifications.ts';

export async function markNotificationRead(deps: AppDeps, actor: Actor, id: number): Promise<NotificationView> {
  const row = await loadVisibleNotification(deps.store.db, actor, id);
  const now = deps.clock.now().toISOString();
  await deps.store.db
    .insertInto('notification_states')
    .values({ notification_id: id, principal: principalOf(actor), read_at: now, deleted_at: null })
    .onConflict((oc) =>
      oc
        .columns(['notification_id', 'principal'])
        .doUpdateSet({ read_at: now })
        .where('notification_states.read_at', 'is', null),
    )
    .execute();
  return toNotificationView({ ...row, read_at: row.read_at ?? now });
}

/** Marks every visible unread notification read; returns how many were unread. */
export async function markAllNotificationsRead(deps: AppDeps, actor: Actor): Promise<{ marked: number }> {
  const { unread } = await countUnreadNotifications(deps, actor);
  if (unread === 0) return { marked: 0 };
  const now = deps.clock.now().toISOString();
  const principal = principalOf(actor);
  // One statement: a state row for each visible unread notification (kept rows only get read_at).
  const unreadIds = visibleNotifications(deps.store.db, actor)
    .where('s.read_at', 'is', null)
    .select(['n.id as notification_id', sql<string>`${principal}`.as('principal'), sql<string>`${now}`.as('read_at'), sql<null>`null`.as('deleted_at')]);
  await deps.store.db
    .insertInto('notification_states')
    .columns(['notification_id', 'principal', 'read_at', 'deleted_at'])
    .expression(unreadIds)
    .onConflict((oc) =>
      oc
        .columns(['notification_id', 'principal'])
        .doUpdateSet({ read_at: now })
        .where('notification_states.read_at', 'is', null),
    )
    .execute();
  return { marked: unread };
}
