// What the API and CLI show of an outgoing webhook endpoint and of one delivery attempt. The
// secret is not part of it: it is shown once, when created or rotated.
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../../store/schema-webhooks.ts';

export interface WebhookEndpointView {
  id: number;
  url: string;
  events: string[];
  description: string | null;
  status: string;
  disabled_reason: string | null;
  failure_streak: number;
  next_attempt_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  /** The last event id delivered (or passed over as not subscribed). */
  cursor_event_id: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryView {
  id: number;
  endpoint_id: number;
  attempted_at: string;
  status_code: number | null;
  duration_ms: number;
  ok: boolean;
  error: string | null;
  first_event_id: number | null;
  last_event_id: number | null;
  event_count: number;
  test: boolean;
}

export function endpointEvents(row: Pick<WebhookEndpointRow, 'events'>): string[] {
  try {
    const v = JSON.parse(row.events);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function toEndpointView(row: WebhookEndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    events: endpointEvents(row),
    description: row.description,
    status: row.status,
    disabled_reason: row.disabled_reason,
    failure_streak: row.failure_streak,
    next_attempt_at: row.next_attempt_at,
    last_success_at: row.last_success_at,
    last_failure_at: row.last_failure_at,
    cursor_event_id: Number(row.cursor_event_id),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    attempted_at: row.attempted_at,
    status_code: row.status_code,
    duration_ms: row.duration_ms,
    ok: row.ok === 1,
    error: row.error,
    first_event_id: row.first_event_id === null ? null : Number(row.first_event_id),
    last_event_id: row.last_event_id === null ? null : Number(row.last_event_id),
    event_count: row.event_count,
    test: row.test === 1,
  };
}
