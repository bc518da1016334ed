// The closed vocabulary of notifications (F2.1-F2.3): what happened, how bad it is, and who may
// see it. A new kind needs an entry here (and in README's notification table).
import type { Permission } from './permissions.ts';

export type NotificationSeverity = 'info' | 'warning' | 'error';

export const NOTIFICATION_KINDS = {
  delivery_zero_recipients: { severity: 'error', permission: 'campaigns:read', meaning: 'A delivery reached 0 recipients; the funnel says where everyone was lost.' },
  delivery_failed: { severity: 'error', permission: 'campaigns:read', meaning: 'A delivery could not be sent at all (e.g. its template no longer renders).' },
  delivery_paused: { severity: 'warning', permission: 'campaigns:read', meaning: 'A delivery was paused by Herald (e.g. the sender is being refused).' },
  limit_reached: { severity: 'warning', permission: 'campaigns:read', meaning: 'A daily limit was reached; the rest goes the next day.' },
  complaint_rate_high: { severity: 'warning', permission: 'campaigns:read', meaning: 'Recipients mark too many messages as spam; limits were lowered.' },
  import_failed: { severity: 'error', permission: 'contacts:read', meaning: 'A contact import failed or rejected rows.' },
  approval_requested: { severity: 'info', permission: 'deliveries:start', meaning: 'A campaign waits for approval by someone who may start deliveries.' },
  approval_given: { severity: 'info', permission: 'campaigns:read', meaning: 'A campaign was approved and is scheduled or sending.' },
  approval_rejected: { severity: 'warning', permission: 'campaigns:read', meaning: 'A campaign was sent back to draft by an approver.' },
  run_awaiting_confirmation: { severity: 'info', permission: 'deliveries:start', meaning: 'A recurring run waits for confirmation before it sends.' },
  run_skipped: { severity: 'warning', permission: 'campaigns:read', meaning: 'A recurring run was missed while Herald was down and skipped by its policy.' },
} as const satisfies Record<string, { severity: NotificationSeverity; permission: Permission; meaning: string }>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_LIST = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

export function isNotificationKind(value: string): value is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, value);
}
