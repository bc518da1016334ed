// Schema of approvals (F4.2): a launch under the account's approval rule is a request that someone
// holding deliveries:start approves (the campaign starts) or rejects (back to draft); the
// requester can withdraw it. Rows are kept as the campaign's approval history.
import { sql } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function approvalsMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('campaign_approvals'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('campaign_id', idType, (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        // Actor labels ("user:7", "api_key:3", "cli"): four-eyes compares them.
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        // The launch time asked for; null: as soon as it is approved.
        .addColumn('send_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('comment', 'text')
        .execute();
      // At most one open request per campaign, whatever races: the second insert fails.
      await db.schema
        .createIndex('campaign_approvals_one_pending')
        .unique()
        .on('campaign_approvals')
        .columns(['campaign_id'])
        .where(sql.ref('status'), '=', 'pending')
        .execute();
      // A campaign's history, and the account's queue (pending first by age).
      await db.schema.createIndex('campaign_approvals_campaign').on('campaign_approvals').columns(['campaign_id', 'id']).execute();
      await db.schema.createIndex('campaign_approvals_account').on('campaign_approvals').columns(['account_id', 'status', 'id']).execute();
    },
  };
}
