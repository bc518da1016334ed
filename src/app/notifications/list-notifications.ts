// A page of the actor's notification center (F2.1), newest first, keyset by id, with this
// principal's read state; one notification by id.
import { isNotificationKind, NOTIFICATION_KIND_LIST, type NotificationSeverity } from '../../core/notification-kinds.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { loadVisibleNotification, type NotificationView, toNotificationView, visibleNotifications } from './visible-notifications.ts';

export interface NotificationFilter {
  limit?: number;
  /** Only ids lower than this (the previous page's next_before). */
  before?: number;
  unread?: boolean;
  kind?: string;
  severity?: string;
}

const SEVERITIES: string[] = ['info', 'warning', 'error'] satisfies NotificationSeverity[];

export async function listNotifications(
  deps: AppDeps,
  actor: Actor,
  filter: NotificationFilter = {},
): Promise<{ items: NotificationView[]; next_before: number | null }> {
  const limit = filter.limit ?? 50;
  if (filter.kind !== undefined && !isNotificationKind(filter.kind)) {
    throw invalid('kind', `unknown notification kind "${filter.kind}"; known kinds: ${NOTIFICATION_KIND_LIST.join(', ')}`);
  }
  if (filter.severity !== undefined && !SEVERITIES.includes(filter.severity)) {
    throw invalid('severity', `unknown severity "${filter.severity}"; one of ${SEVERITIES.join(', ')}`);
  }
  let q = visibleNotifications(deps.store.db, actor).selectAll('n').select('s.read_at').orderBy('n.id', 'desc').limit(limit + 1);
  if (filter.before) q = q.where('n.id', '<', filter.before);
  if (filter.unread) q = q.where('s.read_at', 'is', null);
  if (filter.kind) q = q.where('n.kind', '=', filter.kind);
  if (filter.severity) q = q.where('n.severity', '=', filter.severity);
  const rows = await q.execute();
  const items = rows.slice(0, limit).map(toNotificationView);
  return { items, next_before: rows.length > limit ? items[items.length - 1].id : null };
}

export async function getNotification(deps: AppDeps, actor: Actor, id: number): Promise<NotificationView> {
  return toNotificationView(await loadVisibleNotification(deps.store.db, actor, id));
}
