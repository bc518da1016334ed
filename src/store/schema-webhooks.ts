// Kysely table types of the webhooks work (see schema.ts for the conventions): provider webhooks
// coming in (one secret URL token per account and provider) and outgoing webhook endpoints with
// their cursor and delivery log.
import type { Generated, Selectable } from 'kysely';

export interface ProviderWebhooksTable {
  id: Generated<number>;
  account_id: number;
  /** sendgrid, mailgun, postmark or ses */
  provider: string;
  /** The secret path segment of /hooks/<provider>/<token>; unique over all accounts. */
  token: string;
  /** JSON: the provider's verification material (SendGrid public key, Postmark basic auth, Mailgun signing key). */
  settings: Generated<string>;
  /** SES via SNS: the last SubscriptionConfirmation's SubscribeURL, for the operator to open. */
  subscribe_url: string | null;
  topic_arn: string | null;
  last_received_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Mailgun signature tokens already seen (replay protection); rows older than the window are purged. */
export interface ProviderWebhookNoncesTable {
  account_id: number;
  provider: string;
  nonce: string;
  received_at: string;
}

export interface WebhookEndpointsTable {
  id: Generated<number>;
  account_id: number;
  url: string;
  /** HMAC key of the Herald-Signature header (shown once, at creation or rotation). */
  secret: string;
  /** JSON array of event types. */
  events: string;
  description: string | null;
  /** active | disabled */
  status: string;
  disabled_reason: string | null;
  /** The id of the last message_events row delivered (or skipped as not subscribed). */
  cursor_event_id: number;
  failure_streak: Generated<number>;
  next_attempt_at: string | null;
  /** A worker holds the endpoint until then, so two workers never send the same batch. */
  lease_until: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  account_id: number;
  endpoint_id: number;
  attempted_at: string;
  /** HTTP status, null when no response came (timeout, refused connection). */
  status_code: number | null;
  duration_ms: number;
  ok: number;
  error: string | null;
  first_event_id: number | null;
  last_event_id: number | null;
  event_count: number;
  /** 1 for POST /webhooks/:id/test sends. */
  test: number;
}

export interface WebhookTables {
  provider_webhooks: ProviderWebhooksTable;
  provider_webhook_nonces: ProviderWebhookNoncesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type ProviderWebhookRow = Selectable<ProviderWebhooksTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
