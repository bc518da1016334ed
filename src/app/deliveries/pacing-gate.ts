// Pacing just before the hand-off: which of the messages that would go now must wait, until when
// and why (quiet hours in the recipient's time zone, daily limits, per-domain throttles).
// Returns only the held messages; everything else may go.
import type { Reason } from '../../core/reasons.ts';
import type { ContactRow } from '../../store/schema.ts';
import type { ClaimedMessage } from '../../store/queries/ledger.ts';
import type { AppDeps } from '../deps.ts';
import type { DeliveryContext } from './delivery-context.ts';

export interface Held {
  until: Date;
  reason: Reason;
  detail: string;
}

export async function gatePacing(
  _deps: AppDeps,
  _ctx: DeliveryContext,
  _candidates: Array<{ m: ClaimedMessage; contact: ContactRow; address: string }>,
  _now: Date,
): Promise<Map<number, Held>> {
  return new Map();
}
