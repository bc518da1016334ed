// Schema of the consent work: double opt-in confirmation requests.
import { sql } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function consentMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('consent_requests'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        // Erasing a contact or deleting a list takes its consent records with it.
        .addColumn('contact_id', idType, (c) => c.notNull().references('contacts.id').onDelete('cascade'))
        .addColumn('list_id', idType, (c) => c.notNull().references('lists.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('send_after', 'text')
        .addColumn('send_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_response', 'text')
        .addColumn('confirmed_at', 'text')
        .addColumn('declined_at', 'text')
        .addColumn('source', 'text')
        .addColumn('evidence', 'text')
        .execute();
      // One request out at a time per (contact, list): concurrent callers insert with
      // ON CONFLICT DO NOTHING and read back the one that won.
      await db.schema
        .createIndex('consent_requests_one_pending')
        .unique()
        .on('consent_requests')
        .columns(['list_id', 'contact_id'])
        .where(sql.ref('status'), '=', 'pending')
        .execute();
      // The decision's batch loader and "has this subscription been asked already?".
      await db.schema.createIndex('consent_requests_contact').on('consent_requests').columns(['account_id', 'contact_id', 'list_id']).execute();
      // The API's pages, in id order per account.
      await db.schema.createIndex('consent_requests_account').on('consent_requests').columns(['account_id', 'id']).execute();
      // The worker's two scans touch only pending rows: partial indexes stay as small as the backlog.
      await db.schema
        .createIndex('consent_requests_to_send')
        .on('consent_requests')
        .column('id')
        .where(sql.ref('status'), '=', 'pending')
        .where(sql.ref('sent_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('consent_requests_pending_expiry')
        .on('consent_requests')
        .column('expires_at')
        .where(sql.ref('status'), '=', 'pending')
        .execute();
    },
  };
}
