// Recurring campaigns (F4.3): one schedule per campaign, fired by the workers.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function schedulesMigration(caps: DialectCapabilities) {
  const { idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('campaign_schedules')
        .addColumn('campaign_id', idType, (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('confirm_each_run', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('missed_runs', 'text', (c) => c.notNull().defaultTo('run_once'))
        .addColumn('starts_at', 'text')
        .addColumn('ends_at', 'text')
        .addColumn('max_runs', 'integer')
        .addColumn('next_run_at', 'text')
        .addColumn('last_run_at', 'text')
        .addColumn('runs_created', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The worker's question on every pass: which schedules are due?
      await db.schema.createIndex('campaign_schedules_due').on('campaign_schedules').columns(['next_run_at']).execute();
      await db.schema.createIndex('campaign_schedules_account').on('campaign_schedules').columns(['account_id', 'campaign_id']).execute();
    },
  };
}
