// Schema of the email copies of notifications (F2.2): one row per (notification, subscribed user),
// written in the same transaction as the notification, sent by a worker step. The row is the
// queue: `pending` → claimed as `sending` with a lease → `sent` or `failed` (the reply kept), a
// deferral goes back to `pending` with a retry time.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function notificationEmailsMigration(caps: DialectCapabilities) {
  const { idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('notification_emails')
        .addColumn('notification_id', idType, (c) => c.notNull().references('notifications.id').onDelete('cascade'))
        .addColumn('user_id', idType, (c) => c.notNull().references('users.id').onDelete('cascade'))
        // pending | sending | sent | failed
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        // A deferred copy waits until then; null: due now.
        .addColumn('send_after', 'text')
        // While `sending`: a worker that died mid hand-off leaves the row to be taken again after this.
        .addColumn('lease_until', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_emails_pk', ['notification_id', 'user_id'])
        .execute();
      // The worker's question: which copies are due? Only unfinished rows matter.
      await db.schema.createIndex('notification_emails_status').on('notification_emails').columns(['status', 'send_after']).execute();
    },
  };
}
