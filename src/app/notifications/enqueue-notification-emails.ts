// The email copies of one new notification (F2.2): a pending row per active user of the account
// whose role may see the kind and who subscribed to it. Written with the notification (same
// transaction), so a notification never exists without its copies; the worker step
// (send-notification-emails.ts) sends them.
import type { Kysely } from 'kysely';
import type { NotificationKind } from '../../core/notification-kinds.ts';
import { parseEmailSubscription, wantsEmailCopy } from '../../core/notification-subscription.ts';
import type { Database } from '../../store/schema.ts';

export async function enqueueNotificationEmails(
  db: Kysely<Database>,
  n: { id: number; accountId: number; kind: NotificationKind; createdAt: string },
): Promise<number> {
  // A handful of users per account: deciding in code keeps the rule in one (pure) place.
  const users = await db
    .selectFrom('users')
    .select(['id', 'role', 'notify_email'])
    .where('account_id', '=', n.accountId)
    .where('disabled_at', 'is', null)
    .execute();
  const recipients = users.filter((u) => wantsEmailCopy(u.role, parseEmailSubscription(u.notify_email), n.kind));
  if (recipients.length === 0) return 0;
  await db
    .insertInto('notification_emails')
    .values(recipients.map((u) => ({ notification_id: n.id, user_id: u.id, status: 'pending', attempts: 0, created_at: n.createdAt })))
    .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
    .execute();
  return recipients.length;
}
