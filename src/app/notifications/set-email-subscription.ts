// Subscribing a user to notifications by email (F2.2): on or off, and which kinds (empty: every
// kind the user's role may see). Kinds are checked against the closed vocabulary and against the
// role — a subscription to something the user can never see would be a promise Herald cannot keep.
import { isNotificationKind, NOTIFICATION_KINDS, NOTIFICATION_KIND_LIST, type NotificationKind } from '../../core/notification-kinds.ts';
import { parseEmailSubscription } from '../../core/notification-subscription.ts';
import { roleHas } from '../../core/permissions.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { type EmailSubscriptionView, toEmailSubscriptionView } from './read-email-subscription.ts';
import { type SubscriptionTarget, subscriptionUser } from './subscription-user.ts';

export interface EmailSubscriptionInput {
  enabled: boolean;
  /** Omitted: keep the current choice. */
  kinds?: string[];
}

export async function setEmailSubscription(
  deps: AppDeps,
  actor: Actor,
  input: EmailSubscriptionInput,
  target: SubscriptionTarget = {},
): Promise<EmailSubscriptionView> {
  const user = await subscriptionUser(deps, actor, target);
  let kinds: NotificationKind[];
  if (input.kinds === undefined) kinds = parseEmailSubscription(user.notify_email).kinds;
  else {
    kinds = [];
    input.kinds.forEach((k, i) => {
      if (!isNotificationKind(k)) throw invalid(`kinds[${i}]`, `unknown notification kind "${k}"; known kinds: ${NOTIFICATION_KIND_LIST.join(', ')}`);
      const permission = NOTIFICATION_KINDS[k].permission;
      if (!roleHas(user.role, permission)) {
        throw invalid(`kinds[${i}]`, `${user.email} (role ${user.role}) does not see ${k} notifications: they need the permission ${permission}`);
      }
      if (!kinds.includes(k)) kinds.push(k);
    });
  }
  const now = deps.clock.now().toISOString();
  // Recorded: an admin can send another person's mail somewhere, or stop it.
  const updated = await deps.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({ notify_email: JSON.stringify({ enabled: input.enabled, kinds }), updated_at: now })
      .where('id', '=', user.id)
      .where('account_id', '=', actor.accountId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit({ trx, now }, actor, 'notification.email_subscription', `user:${user.id}`, { enabled: input.enabled, kinds });
    return row;
  });
  return toEmailSubscriptionView(updated);
}
