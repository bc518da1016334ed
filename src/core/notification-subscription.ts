// A user's email subscription to notifications (F2.2), stored as users.notify_email JSON:
// {"enabled": true, "kinds": ["delivery_failed", …]}; empty kinds = every kind the user's role
// may see. Who gets an email copy is decided here, from the subscription and the role.
import { isNotificationKind, NOTIFICATION_KINDS, NOTIFICATION_KIND_LIST, type NotificationKind } from './notification-kinds.ts';
import { roleHas } from './permissions.ts';

export interface EmailSubscription {
  enabled: boolean;
  /** Empty: all kinds the role may see. */
  kinds: NotificationKind[];
}

/** Reads the stored JSON; anything unreadable or unknown counts as "not subscribed" (never a surprise email). */
export function parseEmailSubscription(json: string | null): EmailSubscription {
  try {
    const v = JSON.parse(json ?? '{}') as { enabled?: unknown; kinds?: unknown };
    const kinds = Array.isArray(v.kinds) ? v.kinds.filter((k): k is NotificationKind => typeof k === 'string' && isNotificationKind(k)) : [];
    return { enabled: v.enabled === true, kinds };
  } catch {
    return { enabled: false, kinds: [] };
  }
}

/** The kinds a role may see (holds their permission). */
export function kindsVisibleTo(role: string): NotificationKind[] {
  return NOTIFICATION_KIND_LIST.filter((k) => roleHas(role, NOTIFICATION_KINDS[k].permission));
}

/** Whether a user with this role and subscription gets an email copy of a notification of this kind. */
export function wantsEmailCopy(role: string, subscription: EmailSubscription, kind: NotificationKind): boolean {
  if (!subscription.enabled) return false;
  if (!roleHas(role, NOTIFICATION_KINDS[kind].permission)) return false;
  return subscription.kinds.length === 0 || subscription.kinds.includes(kind);
}
