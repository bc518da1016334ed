// Schema shared by the orchestration work (issue 5): users (who signs in and who approves),
// notifications with a read state per principal, and the columns that let a delivery be one run
// of a recurring or triggered campaign (its run key, its own explicit audience and template data).
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function orchestrationMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('users'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        // Stored lower-cased; one sign-in name across the whole installation.
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        // Which notifications this user also gets by email: {"enabled":false,"kinds":[]} (empty: all).
        .addColumn('notify_email', 'text', (c) => c.notNull().defaultTo('{"enabled":false,"kinds":[]}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text')
        .addColumn('disabled_at', 'text')
        .execute();
      await db.schema.createIndex('users_account').on('users').columns(['account_id', 'id']).execute();

      await withId(db.schema.createTable('notifications'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        // Only principals whose role holds this permission see the notification.
        .addColumn('permission', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text')
        .addColumn('subject_id', idType)
        // "limit reached" once per day, not once per batch: a second notify with the same key is dropped.
        .addColumn('dedupe_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notifications_account').on('notifications').columns(['account_id', 'id']).execute();
      await db.schema.createIndex('notifications_dedupe').unique().on('notifications').columns(['account_id', 'dedupe_key']).execute();

      // Read and deleted per principal ("user:7", "api_key:3"): one person's "mark read" is not another's.
      await db.schema
        .createTable('notification_states')
        .addColumn('notification_id', idType, (c) => c.notNull().references('notifications.id').onDelete('cascade'))
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .addColumn('deleted_at', 'text')
        .addPrimaryKeyConstraint('notification_states_pk', ['notification_id', 'principal'])
        .execute();

      // A delivery is one run: of a one-off send, of a recurring schedule (run_key = the occurrence),
      // of a trigger (run_key = the firing). The unique key makes "each run fires once" hold across
      // any number of workers.
      await db.schema.alterTable('deliveries').addColumn('run_key', 'text').execute();
      // This run's own audience (explicit contact ids of a trigger or a one-off message), over the campaign's.
      await db.schema.alterTable('deliveries').addColumn('audience', 'text').execute();
      // Data the template sees for this run: {"event": {...}} for triggers, {"data": {...}} for one-off messages.
      await db.schema.alterTable('deliveries').addColumn('context', 'text').execute();
      await db.schema.alterTable('deliveries').addColumn('created_by', 'text').execute();
      await db.schema.createIndex('deliveries_campaign_run_key').unique().on('deliveries').columns(['campaign_id', 'run_key']).execute();
      await db.schema.alterTable('campaigns').addColumn('created_by', 'text').execute();
    },
  };
}
