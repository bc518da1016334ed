// Schema of the suppressions work: per-channel suppressions (blocklist, hard bounces, complaints,
// global unsubscribes) and the account's audit log.
import { sql } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function suppressionsMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);

  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('suppressions'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('removed_at', 'text')
        .execute();
      // One entry in force per address and reason; removed rows stay for the audit, so the
      // uniqueness holds only for rows not removed (an expired row is retired before a new one).
      await db.schema
        .createIndex('suppressions_active_unique')
        .unique()
        .on('suppressions')
        .columns(['account_id', 'channel', 'address', 'reason'])
        .where(sql.ref('removed_at'), 'is', null)
        .execute();
      // The decision's batch lookup: account, channel, up to 10,000 addresses in one IN list.
      await db.schema.createIndex('suppressions_lookup').on('suppressions').columns(['account_id', 'channel', 'address']).execute();
      await db.schema.createIndex('suppressions_account_id').on('suppressions').columns(['account_id', 'id']).execute();

      await withId(db.schema.createTable('audit_log'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_account').on('audit_log').columns(['account_id', 'id']).execute();
    },
  };
}
