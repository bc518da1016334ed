// A user's email subscription to notifications (F2.2), with the kinds their role may see (the
// choices the dashboard offers; an empty `kinds` means all of those).
import type { NotificationKind } from '../../core/notification-kinds.ts';
import { kindsVisibleTo, parseEmailSubscription } from '../../core/notification-subscription.ts';
import type { UserRow } from '../../store/schema-orchestration.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { type SubscriptionTarget, subscriptionUser } from './subscription-user.ts';

export interface EmailSubscriptionView {
  user_id: number;
  email: string;
  enabled: boolean;
  kinds: NotificationKind[];
  /** The kinds this user's role may see: what they can subscribe to. */
  available_kinds: NotificationKind[];
}

export function toEmailSubscriptionView(user: UserRow): EmailSubscriptionView {
  const s = parseEmailSubscription(user.notify_email);
  return { user_id: Number(user.id), email: user.email, enabled: s.enabled, kinds: s.kinds, available_kinds: kindsVisibleTo(user.role) };
}

export async function readEmailSubscription(deps: AppDeps, actor: Actor, target: SubscriptionTarget = {}): Promise<EmailSubscriptionView> {
  return toEmailSubscriptionView(await subscriptionUser(deps, actor, target));
}
