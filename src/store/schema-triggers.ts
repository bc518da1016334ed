// Kysely table types of triggered campaigns (migration 0014-triggers). Conventions: see schema.ts.
import type { Generated, Selectable } from 'kysely';

export interface EventTypesTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  description: string | null;
  created_at: string;
}

export interface TriggerEventsTable {
  id: Generated<number>;
  account_id: number;
  type: string;
  entity: string;
  /** JSON object: the event's data ({"status":"for_sale"}). */
  data: Generated<string>;
  /** JSON array of the contact ids the event named (after upserting the contacts it described). */
  contact_ids: Generated<string>;
  idempotency_key: string;
  payload_hash: string;
  occurred_at: string;
  received_at: string;
}

export interface EntityStatesTable {
  account_id: number;
  entity: string;
  event_type: string;
  /** The latest event (by occurred_at) of this type for this entity. */
  event_id: number;
  data: string;
  contact_ids: string;
  occurred_at: string;
}

export interface CampaignTriggersTable {
  campaign_id: number;
  account_id: number;
  event_type: string;
  /** JSON EventCondition (src/core/triggers/event-condition.ts); null: every event of the type. */
  condition: string | null;
  delay_seconds: Generated<number>;
  /** 'send' | 'list': what activation does with entities already in the trigger state. */
  catch_up: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface TriggerFiringsTable {
  id: Generated<number>;
  account_id: number;
  campaign_id: number;
  entity: string;
  contact_id: number;
  event_id: number;
  /** 'event' | 'catch_up'. */
  source: string;
  due_at: string;
  /** 'pending' | 'fired' | 'cancelled'. */
  status: Generated<string>;
  delivery_id: number | null;
  created_at: string;
  fired_at: string | null;
}

export interface TriggerTables {
  event_types: EventTypesTable;
  trigger_events: TriggerEventsTable;
  entity_states: EntityStatesTable;
  campaign_triggers: CampaignTriggersTable;
  trigger_firings: TriggerFiringsTable;
}

export type EventTypeRow = Selectable<EventTypesTable>;
export type TriggerEventRow = Selectable<TriggerEventsTable>;
export type EntityStateRow = Selectable<EntityStatesTable>;
export type CampaignTriggerRow = Selectable<CampaignTriggersTable>;
export type TriggerFiringRow = Selectable<TriggerFiringsTable>;
