// Schema of the pacing work: shared send counters (daily limits, domain throttles) and the daily
// complaint-adaptive factor.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function pacingMigration(caps: DialectCapabilities) {
  const { idType, realType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('send_counters')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_grant', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('send_counters_pk', ['account_id', 'scope', 'window_start'])
        .execute();

      await db.schema
        .createTable('limit_adaptations')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('factor', realType, (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('sent_7d', 'integer', (c) => c.notNull())
        .addColumn('complaints_7d', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('limit_adaptations_pk', ['account_id', 'channel', 'day'])
        .execute();
    },
  };
}
