// Kysely table types of the feedback loop: what happened after the hand-off (see schema.ts for
// the conventions).
import type { Generated, Insertable, Selectable } from 'kysely';

export const EVENT_TYPES = [
  'sent',
  'delivered',
  'deferred',
  'failed',
  'bounced',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'auto_reply',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface MessageEventsTable {
  id: Generated<number>;
  account_id: number;
  campaign_id: number | null;
  delivery_id: number | null;
  message_id: number | null;
  contact_id: number | null;
  type: string;
  /** Opens and clicks: 1 when made by a machine (privacy proxy, link scanner), 0 by a person; else null. */
  machine: number | null;
  /** JSON: url, user_agent, ip, why machine; bounce class, status code, diagnostic; source (smtp, webhook:ses …). */
  data: Generated<string>;
  occurred_at: string;
  created_at: string;
}

export interface EventTables {
  message_events: MessageEventsTable;
}

export type MessageEventRow = Selectable<MessageEventsTable>;
export type NewMessageEvent = Insertable<MessageEventsTable>;
