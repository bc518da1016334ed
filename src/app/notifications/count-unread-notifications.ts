// The badge (F2.1): how many visible notifications this principal has not read, by severity so
// that the badge can show red when one of them is an error.
import type { Actor, AppDeps } from '../deps.ts';
import { visibleNotifications } from './visible-notifications.ts';

export interface UnreadCount {
  unread: number;
  by_severity: { error: number; warning: number; info: number };
}

export async function countUnreadNotifications(deps: AppDeps, actor: Actor): Promise<UnreadCount> {
  const rows = await visibleNotifications(deps.store.db, actor)
    .select(['n.severity', (eb) => eb.fn.countAll<number>().as('n')])
    .where('s.read_at', 'is', null)
    .groupBy('n.severity')
    .execute();
  const by_severity = { error: 0, warning: 0, info: 0 };
  let unread = 0;
  for (const r of rows) {
    const n = Number(r.n);
    unread += n;
    if (r.severity in by_severity) by_severity[r.severity as keyof typeof by_severity] += n;
  }
  return { unread, by_severity };
}
