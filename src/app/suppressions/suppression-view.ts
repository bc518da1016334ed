// A suppression as the API and the CLI show it: the row plus whether it suppresses right now.
import type { SuppressionRow } from '../../store/schema-suppressions.ts';

export type SuppressionState = 'active' | 'expired' | 'removed';

export interface SuppressionView {
  id: number;
  channel: string;
  address: string;
  reason: string;
  source: string;
  note: string | null;
  created_at: string;
  expires_at: string | null;
  removed_at: string | null;
  /** active: it suppresses now; expired: its expires_at passed; removed: taken off by hand. */
  state: SuppressionState;
}

export function suppressionState(row: Pick<SuppressionRow, 'expires_at' | 'removed_at'>, now: string): SuppressionState {
  if (row.removed_at !== null) return 'removed';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  return 'active';
}

export function toSuppressionView(row: SuppressionRow, now: string): SuppressionView {
  return {
    id: row.id,
    channel: row.channel,
    address: row.address,
    reason: row.reason,
    source: row.source,
    note: row.note,
    created_at: row.created_at,
    expires_at: row.expires_at,
    removed_at: row.removed_at,
    state: suppressionState(row, now),
  };
}
