// The initial schema: every table carries account_id (multi-tenant from day one) and contacts and
// messages are multi-channel (a message row names its channel and the address it used).
import { sql } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function initialMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);

  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('accounts'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', idType, (c) => c.references('accounts.id'))
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await withId(db.schema.createTable('api_keys'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await withId(db.schema.createTable('contacts'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('first_name', 'text')
        .addColumn('last_name', 'text')
        .addColumn('timezone', 'text')
        .addColumn('locale', 'text')
        .addColumn('messenger', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('postal_address', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Contacts are keyed by email; a contact without email (phone only, F0.2) is keyed by phone.
      await db.schema.createIndex('contacts_account_email').unique().on('contacts').columns(['account_id', 'email']).execute();
      await db.schema
        .createIndex('contacts_account_phone_no_email')
        .unique()
        .on('contacts')
        .columns(['account_id', 'phone'])
        .where(sql.ref('email'), 'is', null)
        .execute();
      await db.schema.createIndex('contacts_account_phone').on('contacts').columns(['account_id', 'phone']).execute();
      await db.schema.createIndex('contacts_account_id').on('contacts').columns(['account_id', 'id']).execute();

      await withId(db.schema.createTable('lists'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('opt_in', 'text', (c) => c.notNull().defaultTo('single'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('lists_account_name', ['account_id', 'name'])
        .execute();

      await db.schema
        .createTable('subscriptions')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('list_id', idType, (c) => c.notNull().references('lists.id').onDelete('cascade'))
        .addColumn('contact_id', idType, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('subscriptions_pk', ['list_id', 'contact_id'])
        .execute();
      await db.schema.createIndex('subscriptions_contact').on('subscriptions').column('contact_id').execute();

      await withId(db.schema.createTable('templates'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        // MJML compiled to HTML at save time, so a worker never loads MJML (~90 MB) to send.
        .addColumn('compiled_html', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('templates_account').on('templates').columns(['account_id', 'id']).execute();

      await withId(db.schema.createTable('sender_domains'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('dkim_selector', 'text')
        .addColumn('dkim_private_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('sender_domains_account_domain', ['account_id', 'domain'])
        .execute();

      await withId(db.schema.createTable('campaigns'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('template_id', idType, (c) => c.references('templates.id'))
        .addColumn('from_email', 'text')
        .addColumn('from_name', 'text')
        .addColumn('reply_to', 'text')
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('scheduled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaigns_account').on('campaigns').columns(['account_id', 'id']).execute();

      await withId(db.schema.createTable('deliveries'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('campaign_id', idType, (c) => c.notNull().references('campaigns.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('scheduled_at', 'text')
        .addColumn('prepared_at', 'text')
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('status_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('deliveries_status').on('deliveries').columns(['status', 'scheduled_at']).execute();
      await db.schema.createIndex('deliveries_campaign').on('deliveries').column('campaign_id').execute();

      // The ledger. One row per (delivery, contact); it is also the send queue.
      await withId(db.schema.createTable('messages'))
        .addColumn('account_id', idType, (c) => c.notNull())
        .addColumn('delivery_id', idType, (c) => c.notNull())
        .addColumn('campaign_id', idType, (c) => c.notNull())
        .addColumn('contact_id', idType, (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('possible_duplicate', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('response', 'text')
        .addColumn('failure_class', 'text')
        .addColumn('message_id_header', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('messages_delivery_contact', ['delivery_id', 'contact_id'])
        .execute();
      // Claiming scans due rows of one delivery in id order.
      await db.schema.createIndex('messages_claim').on('messages').columns(['delivery_id', 'status', 'next_attempt_at']).execute();
      await db.schema.createIndex('messages_contact').on('messages').columns(['contact_id']).execute();
      // Partial: the header is set at the hand-off, so the million rows a preparation writes
      // (all still NULL there) cost this index nothing.
      await db.schema
        .createIndex('messages_message_id_header')
        .on('messages')
        .column('message_id_header')
        .where(sql.ref('message_id_header'), 'is not', null)
        .execute();
      // Lease recovery scans only rows that are held by a worker; a partial index keeps it tiny
      // and costs nothing for rows in any other state.
      await db.schema
        .createIndex('messages_leased')
        .on('messages')
        .column('lease_expires_at')
        .where(sql.ref('status'), 'in', sql`('claimed', 'sending')`)
        .execute();

      await withId(db.schema.createTable('import_jobs'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('list_id', idType)
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('imported_rows', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_rows', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();

      await withId(db.schema.createTable('caught_messages'))
        .addColumn('account_id', idType)
        .addColumn('message_id', idType)
        .addColumn('mail_from', 'text')
        .addColumn('rcpt_to', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('caught_messages_account').on('caught_messages').columns(['account_id', 'id']).execute();
    },
  };
}
