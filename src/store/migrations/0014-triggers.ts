// Schema of triggered campaigns (F0.1, F0.7, E6): declared event types, the events received (one
// per idempotency key), the latest state of each entity per event type (what catch-up reads), the
// trigger of each triggered campaign, and its firings. A firing is unique per (campaign, entity,
// contact): that key is "fires once per entity and contact", across any number of workers and
// repeated events.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function triggersMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('event_types'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('event_types_account_name', ['account_id', 'name'])
        .execute();

      await withId(db.schema.createTable('trigger_events'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('contact_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        // sha256 of the canonical request: the same key with another payload is a conflict, not a duplicate.
        .addColumn('payload_hash', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('trigger_events_account_key', ['account_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('trigger_events_entity').on('trigger_events').columns(['account_id', 'entity', 'id']).execute();

      await db.schema
        .createTable('entity_states')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event_id', idType, (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('contact_ids', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('entity_states_pk', ['account_id', 'entity', 'event_type'])
        .execute();
      await db.schema.createIndex('entity_states_type').on('entity_states').columns(['account_id', 'event_type', 'entity']).execute();

      await db.schema
        .createTable('campaign_triggers')
        .addColumn('campaign_id', idType, (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('condition', 'text')
        .addColumn('delay_seconds', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('catch_up', 'text', (c) => c.notNull().defaultTo('list'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaign_triggers_type').on('campaign_triggers').columns(['account_id', 'event_type']).execute();

      await withId(db.schema.createTable('trigger_firings'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('campaign_id', idType, (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('contact_id', idType, (c) => c.notNull())
        .addColumn('event_id', idType, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('delivery_id', idType)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('fired_at', 'text')
        .addUniqueConstraint('trigger_firings_once', ['campaign_id', 'entity', 'contact_id'])
        .execute();
      // The worker's question: which pending firings are due?
      await db.schema.createIndex('trigger_firings_due').on('trigger_firings').columns(['status', 'due_at']).execute();
    },
  };
}
