// Schema of the webhooks work: provider webhooks in (SendGrid, Mailgun, Postmark, SES via SNS)
// and outgoing webhook endpoints with a cursor over message_events and a delivery log.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function webhooksMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('provider_webhooks'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('token', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('subscribe_url', 'text')
        .addColumn('topic_arn', 'text')
        .addColumn('last_received_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // The token alone finds the account of an incoming request.
      await db.schema.createIndex('provider_webhooks_token').unique().on('provider_webhooks').column('token').execute();
      await db.schema.createIndex('provider_webhooks_account').unique().on('provider_webhooks').columns(['account_id', 'provider']).execute();

      await db.schema
        .createTable('provider_webhook_nonces')
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('provider_webhook_nonces_pk', ['account_id', 'provider', 'nonce'])
        .execute();
      await db.schema.createIndex('provider_webhook_nonces_age').on('provider_webhook_nonces').columns(['account_id', 'received_at']).execute();

      await withId(db.schema.createTable('webhook_endpoints'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('cursor_event_id', idType, (c) => c.notNull())
        .addColumn('failure_streak', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_failure_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_endpoints_account').on('webhook_endpoints').columns(['account_id', 'id']).execute();
      await db.schema.createIndex('webhook_endpoints_due').on('webhook_endpoints').columns(['status', 'next_attempt_at']).execute();

      await withId(db.schema.createTable('webhook_deliveries'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('endpoint_id', idType, (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
        .addColumn('attempted_at', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('first_event_id', idType)
        .addColumn('last_event_id', idType)
        .addColumn('event_count', 'integer', (c) => c.notNull())
        .addColumn('test', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
    },
  };
}
