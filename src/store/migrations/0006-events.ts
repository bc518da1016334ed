// Schema of the feedback loop: one row per event after the hand-off, and the first time of each
// kind on the ledger row itself, so per-message status and campaign KPIs are one indexed count.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function eventsMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('message_events'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('campaign_id', idType)
        .addColumn('delivery_id', idType)
        .addColumn('message_id', idType)
        .addColumn('contact_id', idType)
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('machine', 'integer')
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('message_events_message').on('message_events').columns(['message_id', 'type']).execute();
      await db.schema.createIndex('message_events_campaign').on('message_events').columns(['campaign_id', 'type', 'occurred_at']).execute();
      await db.schema.createIndex('message_events_contact').on('message_events').columns(['contact_id', 'occurred_at']).execute();
      await db.schema.createIndex('message_events_account').on('message_events').columns(['account_id', 'id']).execute();
      // First occurrence of each outcome on the ledger row (null until it happens).
      for (const col of ['delivered_at', 'bounced_at', 'complained_at', 'opened_at', 'human_opened_at', 'clicked_at', 'human_clicked_at', 'unsubscribed_at']) {
        await db.schema.alterTable('messages').addColumn(col, 'text').execute();
      }
      await db.schema.alterTable('messages').addColumn('bounce_class', 'text').execute();
    },
  };
}
