// The one way anything tells people about something (F2.1-F2.3): a row in the account's
// notification center. Who sees it follows from its kind's permission; the email copies for users
// who subscribed are sent by the worker (src/app/notifications/). A dedupe key makes repeated
// reports of the same condition ("limit reached" on every batch) one notification.
import type { Kysely } from 'kysely';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../core/notification-kinds.ts';
import type { Database } from '../../store/schema.ts';
import type { AppDeps } from '../deps.ts';
import { enqueueNotificationEmails } from './enqueue-notification-emails.ts';

export interface NotificationInput {
  accountId: number;
  kind: NotificationKind;
  title: string;
  body: string;
  data?: Record<string, unknown>;
  /** What it is about, for links in the dashboard: {type: "campaign", id: 3}. */
  subject?: { type: 'campaign' | 'delivery' | 'import' | 'account'; id: number } | null;
  /** Unique per account: a second notify with the same key is dropped (returns null). */
  dedupeKey?: string | null;
}

/** Writes the notification (inside `trx` when given); returns its id, or null when deduplicated. */
export async function notify(deps: AppDeps, input: NotificationInput, trx?: Kysely<Database>): Promise<number | null> {
  const meta = NOTIFICATION_KINDS[input.kind];
  const createdAt = deps.clock.now().toISOString();
  // The notification and its email copies together: without a caller's transaction, one of our own.
  const write = async (db: Kysely<Database>) => {
    const row = await db
      .insertInto('notifications')
      .values({
        account_id: input.accountId,
        kind: input.kind,
        severity: meta.severity,
        title: input.title,
        body: input.body,
        data: JSON.stringify(input.data ?? {}),
        permission: meta.permission,
        subject_type: input.subject?.type ?? null,
        subject_id: input.subject?.id ?? null,
        dedupe_key: input.dedupeKey ?? null,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.columns(['account_id', 'dedupe_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) await enqueueNotificationEmails(db, { id: Number(row.id), accountId: input.accountId, kind: input.kind, createdAt });
    return row;
  };
  const row = trx ? await write(trx) : await deps.store.db.transaction().execute(write);
  if (row) deps.log.info({ accountId: input.accountId, kind: input.kind, notification: row.id }, input.title);
  return row ? Number(row.id) : null;
}
