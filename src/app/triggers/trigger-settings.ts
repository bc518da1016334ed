// A triggered campaign's trigger as stored (campaign_triggers) and as the API shows it.
import type { EventCondition } from '../../core/triggers/event-condition.ts';
import type { CampaignTriggerRow } from '../../store/schema-triggers.ts';

export const CATCH_UP_MODES = ['send', 'list'] as const;
export type CatchUpMode = (typeof CATCH_UP_MODES)[number];

export interface TriggerView {
  campaign_id: number;
  event_type: string;
  condition: EventCondition | null;
  delay_seconds: number;
  delay_minutes: number;
  catch_up: CatchUpMode;
  created_at: string;
  updated_at: string;
}

export function toTriggerView(row: CampaignTriggerRow): TriggerView {
  return {
    campaign_id: row.campaign_id,
    event_type: row.event_type,
    condition: parseCondition(row.condition),
    delay_seconds: Number(row.delay_seconds),
    delay_minutes: Number(row.delay_seconds) / 60,
    catch_up: row.catch_up as CatchUpMode,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function parseCondition(json: string | null): EventCondition | null {
  return json ? (JSON.parse(json) as EventCondition) : null;
}
