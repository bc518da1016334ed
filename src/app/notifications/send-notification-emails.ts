// Worker step: sends the pending email copies of notifications (F2.2) through the worker's
// transport — the relay, or the built-in catcher when none is set — the way consent
// confirmations go (send-confirmations.ts): same From formatting, same DKIM key lookup, same retry
// schedule for deferrals.
//
// Each copy is claimed before the hand-off with a compare-and-set on (status, attempts): of many
// workers, exactly one moves a row to `sending` (with a lease) and sends it. A 4xx goes back to
// `pending` with a retry time, up to MAX_ATTEMPTS; a 5xx is `failed` with the reply kept. A worker
// that dies mid hand-off leaves the row `sending`; after the lease it is sent again — for a warning
// about a failed campaign one mail too many is better than none.
import type { NotificationKind } from '../../core/notification-kinds.ts';
import { renderNotificationEmail } from '../../core/notification-email.ts';
import { parseEmailSubscription, wantsEmailCopy } from '../../core/notification-subscription.ts';
import { nextRetryAt } from '../../core/retry-schedule.ts';
import type { EmailTransport, SendOutcome } from '../../transports/email/email-transport.ts';
import { formatAddress } from '../deliveries/delivery-context.ts';
import type { AppDeps } from '../deps.ts';
import { dkimKeyFor } from '../sender-domains/dkim-key-for.ts';

/** Hand-offs per copy before it is given up (a relay deferring for hours is a problem of its own). */
export const MAX_ATTEMPTS = 5;
const PARALLEL = 10;

interface Due {
  notification_id: number;
  user_id: number;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  account_id: number;
  account_name: string;
  kind: string;
  severity: string;
  title: string;
  body: string;
  email: string;
  role: string;
  notify_email: string;
  disabled_at: string | null;
}

async function sendOne(deps: AppDeps, transport: EmailTransport, r: Due, now: Date): Promise<boolean> {
  const { db } = deps.store;
  const at = now.toISOString();
  const attempt = r.attempts + 1;
  const claimed = await db
    .updateTable('notification_emails')
    .set({ status: 'sending', attempts: attempt, lease_until: new Date(now.getTime() + deps.config.worker.leaseSeconds * 1000).toISOString() })
    .where('notification_id', '=', r.notification_id)
    .where('user_id', '=', r.user_id)
    .where('status', '=', r.status)
    .where('attempts', '=', r.attempts)
    .returning('attempts')
    .executeTakeFirst();
  if (!claimed) return false;
  // Only this claim may record the outcome (a lease taken over since has its own attempt number).
  const finish = (values: { status: string; last_error: string | null; send_after?: string | null; sent_at?: string }) =>
    db
      .updateTable('notification_emails')
      .set({ lease_until: null, ...values })
      .where('notification_id', '=', r.notification_id)
      .where('user_id', '=', r.user_id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempt)
      .execute();

  // The user may have been disabled, demoted or unsubscribed since the notification was written.
  if (r.disabled_at !== null || !wantsEmailCopy(r.role, parseEmailSubscription(r.notify_email), r.kind as NotificationKind)) {
    await finish({ status: 'failed', last_error: `not sent: ${r.email} was disabled, unsubscribed or may no longer see ${r.kind} notifications` });
    return false;
  }
  if (attempt > MAX_ATTEMPTS) {
    await finish({ status: 'failed', last_error: `given up after ${MAX_ATTEMPTS} attempts; last: ${r.last_error ?? 'the worker stopped during the hand-off'}` });
    return false;
  }

  const from = deps.config.notifyFrom;
  const content = renderNotificationEmail({
    title: r.title,
    body: r.body,
    severity: r.severity,
    accountName: r.account_name,
    link: `${deps.config.publicUrl}/#/notifications/${r.notification_id}`,
    userEmail: r.email,
  });
  let outcome: SendOutcome;
  try {
    outcome = await transport.send({
      from: formatAddress('Herald', from),
      to: r.email,
      subject: content.subject,
      html: content.html,
      text: content.text,
      messageId: `herald.notification.${r.notification_id}.${r.user_id}.${attempt}@${from.split('@')[1]}`,
      // RFC 3834: machine-written; auto-responders must not answer it.
      headers: { 'Auto-Submitted': 'auto-generated' },
      dkim: await dkimKeyFor(deps, r.account_id, from),
    });
  } catch (err) {
    outcome = { kind: 'deferred', response: `the transport failed: ${(err as Error).message}`, code: null };
  }

  if (outcome.kind === 'sent') {
    await finish({ status: 'sent', last_error: null, sent_at: at });
    return true;
  }
  const retryAt = outcome.kind === 'deferred' && attempt < MAX_ATTEMPTS ? nextRetryAt(now, attempt, new Date(r.created_at), Math.random()) : null;
  if (retryAt) await finish({ status: 'pending', send_after: retryAt.toISOString(), last_error: `deferred: ${outcome.response}` });
  else await finish({ status: 'failed', last_error: `${outcome.kind}: ${outcome.response}` });
  deps.log.warn({ notificationId: r.notification_id, userId: r.user_id, outcome }, 'notification email not accepted');
  return false;
}

/** Sends up to `limit` due notification emails; returns how many the transport accepted. */
export async function sendNotificationEmails(deps: AppDeps, transport: EmailTransport, now: Date, limit = 100): Promise<number> {
  const at = now.toISOString();
  const due = await deps.store.db
    .selectFrom('notification_emails as e')
    .innerJoin('notifications as n', 'n.id', 'e.notification_id')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .innerJoin('accounts as a', 'a.id', 'n.account_id')
    .select([
      'e.notification_id',
      'e.user_id',
      'e.status',
      'e.attempts',
      'e.last_error',
      'e.created_at',
      'n.account_id',
      'a.name as account_name',
      'n.kind',
      'n.severity',
      'n.title',
      'n.body',
      'u.email',
      'u.role',
      'u.notify_email',
      'u.disabled_at',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('e.status', '=', 'pending'), eb.or([eb('e.send_after', 'is', null), eb('e.send_after', '<=', at)])]),
        eb.and([eb('e.status', '=', 'sending'), eb('e.lease_until', '<', at)]),
      ]),
    )
    .orderBy('e.created_at')
    .limit(limit)
    .execute();
  let sent = 0;
  for (let i = 0; i < due.length; i += PARALLEL) {
    const results = await Promise.all(
      due.slice(i, i + PARALLEL).map((r) =>
        sendOne(deps, transport, { ...r, notification_id: Number(r.notification_id), user_id: Number(r.user_id), account_id: Number(r.account_id), attempts: Number(r.attempts) }, now),
      ),
    );
    sent += results.filter(Boolean).length;
  }
  return sent;
}
