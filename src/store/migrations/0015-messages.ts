// Schema of one-off messages (F0.8): one message to one contact is a campaign of kind 'message'
// with one delivery; this table names the contact (to list a contact's messages without reading
// every delivery's audience JSON) and holds the caller's idempotency key, unique per account.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function messagesMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('one_off_messages'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('campaign_id', idType, (c) => c.notNull().unique().references('campaigns.id'))
        .addColumn('delivery_id', idType, (c) => c.notNull().references('deliveries.id'))
        // No foreign key, like the ledger: the message's history outlives a deleted contact.
        .addColumn('contact_id', idType, (c) => c.notNull())
        .addColumn('transactional', 'integer', (c) => c.notNull())
        // A retried request with the same key gets the same message; NULL keys never collide.
        .addColumn('idempotency_key', 'text')
        // sha256 of the request as sent (without the key): the same key with another payload is a conflict.
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('one_off_messages_key').unique().on('one_off_messages').columns(['account_id', 'idempotency_key']).execute();
      await db.schema.createIndex('one_off_messages_contact').on('one_off_messages').columns(['account_id', 'contact_id', 'id']).execute();
    },
  };
}
