// Kysely table types. Conventions that hold in both dialects:
// - ids are integers (SQLite rowid, PostgreSQL identity bigint parsed to number);
// - timestamps are ISO-8601 UTC strings ("2026-11-22T09:00:00.000Z"): they sort as text, read the
//   same in both dialects and need no driver-specific parsing;
// - JSON documents are text; booleans are 0/1 integers.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ConsentTables } from './schema-consent.ts';
import type { BounceTables } from './schema-bounces.ts';
import type { EventTables } from './schema-events.ts';
import type { TrackingTables } from './schema-tracking.ts';
import type { WebhookTables } from './schema-webhooks.ts';
import type { PacingTables } from './schema-pacing.ts';
import type { SegmentTables } from './schema-segments.ts';
import type { SuppressionTables } from './schema-suppressions.ts';
import type { OrchestrationTables } from './schema-orchestration.ts';
import type { ApprovalTables } from './schema-approvals.ts';
import type { MessageTables } from './schema-messages.ts';
import type { ScheduleTables } from './schema-schedules.ts';
import type { SessionTables } from './schema-sessions.ts';
import type { NotificationEmailTables } from './schema-notifications.ts';
import type { TriggerTables } from './schema-triggers.ts';

export interface AccountsTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  settings: Generated<string>;
  created_at: string;
}

export interface ApiKeysTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  key_hash: string;
  key_prefix: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Actor label of whoever created the key ("user:7"); null for the bootstrap key and older keys. */
  created_by: string | null;
}

export interface ContactsTable {
  id: Generated<number>;
  account_id: number;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  timezone: string | null;
  locale: string | null;
  messenger: Generated<string>;
  postal_address: string | null;
  attributes: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface ListsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  opt_in: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionsTable {
  account_id: number;
  list_id: number;
  contact_id: number;
  status: string;
  source: string | null;
  created_at: string;
  updated_at: string;
}

export interface TemplatesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  channel: string;
  format: string;
  subject: string;
  body: string;
  /** For MJML: the HTML (still with Liquid) MJML made of `body` when it was saved. */
  compiled_html: string | null;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SenderDomainsTable {
  id: Generated<number>;
  account_id: number;
  domain: string;
  dkim_selector: string | null;
  dkim_private_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface CampaignsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  channel: string;
  kind: string;
  status: string;
  template_id: number | null;
  from_email: string | null;
  from_name: string | null;
  reply_to: string | null;
  audience: string;
  settings: Generated<string>;
  scheduled_at: string | null;
  /** The actor label of whoever created it ("user:7", "api_key:3", "cli"); the author under four-eyes. */
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveriesTable {
  id: Generated<number>;
  account_id: number;
  campaign_id: number;
  status: string;
  scheduled_at: string | null;
  prepared_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  status_reason: string | null;
  /** Which run this is: a recurring occurrence ("cron:2026-12-01T09:00:00.000Z"), a trigger firing; null for a plain send. Unique per campaign. */
  run_key: string | null;
  /** JSON CampaignAudience of this run (explicit contact_ids), over the campaign's; null: the campaign's. */
  audience: string | null;
  /** JSON data the template sees for this run ({"event": …} or {"data": …}); null: none. */
  context: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: Generated<number>;
  account_id: number;
  delivery_id: number;
  campaign_id: number;
  contact_id: number;
  channel: string;
  address: string | null;
  status: string;
  reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  possible_duplicate: Generated<number>;
  response: string | null;
  failure_class: string | null;
  message_id_header: string | null;
  sent_at: string | null;
  /** First time of each outcome after the hand-off (see migration 0006-events). */
  delivered_at: string | null;
  bounced_at: string | null;
  bounce_class: string | null;
  complained_at: string | null;
  opened_at: string | null;
  human_opened_at: string | null;
  clicked_at: string | null;
  human_clicked_at: string | null;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ImportJobsTable {
  id: Generated<number>;
  account_id: number;
  list_id: number | null;
  source: string;
  status: string;
  total_rows: Generated<number>;
  imported_rows: Generated<number>;
  failed_rows: Generated<number>;
  errors: Generated<string>;
  created_at: string;
  finished_at: string | null;
}

export interface CaughtMessagesTable {
  id: Generated<number>;
  account_id: number | null;
  message_id: number | null;
  mail_from: string | null;
  rcpt_to: string;
  subject: string | null;
  size: number;
  raw: string;
  received_at: string;
}

export interface Database extends SuppressionTables, SegmentTables, ConsentTables, PacingTables, EventTables, TrackingTables, BounceTables, WebhookTables, OrchestrationTables, ApprovalTables, MessageTables, ScheduleTables, SessionTables, NotificationEmailTables, TriggerTables {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  contacts: ContactsTable;
  lists: ListsTable;
  subscriptions: SubscriptionsTable;
  templates: TemplatesTable;
  sender_domains: SenderDomainsTable;
  campaigns: CampaignsTable;
  deliveries: DeliveriesTable;
  messages: MessagesTable;
  import_jobs: ImportJobsTable;
  caught_messages: CaughtMessagesTable;
}

export type Account = Selectable<AccountsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ContactRow = Selectable<ContactsTable>;
export type NewContactRow = Insertable<ContactsTable>;
export type ListRow = Selectable<ListsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;
export type TemplateRow = Selectable<TemplatesTable>;
export type SenderDomainRow = Selectable<SenderDomainsTable>;
export type CampaignRow = Selectable<CampaignsTable>;
export type CampaignUpdate = Updateable<CampaignsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;
export type ImportJobRow = Selectable<ImportJobsTable>;
export type CaughtMessageRow = Selectable<CaughtMessagesTable>;
