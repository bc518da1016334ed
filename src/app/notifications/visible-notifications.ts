// Which notifications an actor sees (F2.1): its account's, of a kind its role may see (the role
// holds the notification's permission), and not deleted by its own principal. Every reading and
// marking verb starts from this one query, so "visible" means the same everywhere.
import type { Kysely } from 'kysely';
import { ROLES } from '../../core/permissions.ts';
import type { NotificationRow } from '../../store/schema-orchestration.ts';
import type { Database } from '../../store/schema.ts';
import type { Actor } from '../deps.ts';
import { notFound } from '../errors.ts';

/** The principal whose read/deleted state applies: "user:7", "api_key:3", "cli". */
export const principalOf = (actor: Actor) => actor.label;

/** notifications n left-joined with this principal's state s; only rows the actor may see. */
export function visibleNotifications(db: Kysely<Database>, actor: Actor) {
  const permissions = [...(ROLES[actor.role] ?? [])];
  return (
    db
      .selectFrom('notifications as n')
      .leftJoin('notification_states as s', (j) => j.onRef('s.notification_id', '=', 'n.id').on('s.principal', '=', principalOf(actor)))
      .where('n.account_id', '=', actor.accountId)
      // An unknown role sees nothing ('' is no permission).
      .where('n.permission', 'in', permissions.length ? permissions : [''])
      .where('s.deleted_at', 'is', null)
  );
}

export interface NotificationView {
  id: number;
  kind: string;
  severity: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  subject: { type: string; id: number } | null;
  permission: string;
  created_at: string;
  /** Read by this principal. */
  read: boolean;
  read_at: string | null;
}

export type VisibleRow = NotificationRow & { read_at: string | null };

export function toNotificationView(r: VisibleRow): NotificationView {
  return {
    id: Number(r.id),
    kind: r.kind,
    severity: r.severity,
    title: r.title,
    body: r.body,
    data: JSON.parse(r.data),
    subject: r.subject_type && r.subject_id !== null ? { type: r.subject_type, id: Number(r.subject_id) } : null,
    permission: r.permission,
    created_at: r.created_at,
    read: r.read_at !== null,
    read_at: r.read_at,
  };
}

/** One visible notification, or not_found (another account's, a kind the role may not see, deleted for this principal). */
export async function loadVisibleNotification(db: Kysely<Database>, actor: Actor, id: number): Promise<VisibleRow> {
  const row = await visibleNotifications(db, actor).selectAll('n').select('s.read_at').where('n.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('notification', id);
  return row;
}
