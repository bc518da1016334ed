// Pacing just before the hand-off: which of the messages that would go now must wait, until when
// and why — quiet hours in the recipient's time zone (spread over a ramp when they end), the
// account's daily limit (carried over to the next day), per-domain throttles. Capacity for the
// others is reserved in database counters, so the limits hold across many workers; what is
// reserved and then not handed off (pause, cancel) is given back.
import type { Reason } from '../../core/reasons.ts';
import type { ClaimedMessage } from '../../store/queries/ledger.ts';
import type { ContactRow } from '../../store/schema.ts';
import type { AppDeps } from '../deps.ts';
import { paceBatch, releaseUnsent } from '../pacing/pace-batch.ts';
import type { DeliveryContext } from './delivery-context.ts';

export interface Held {
  until: Date;
  reason: Reason;
  detail: string;
}

export interface PacingGate {
  held: Map<number, Held>;
  /** Gives back the reserved capacity of messages that were not handed off after all. */
  release(messageIds: Iterable<number>): Promise<void>;
}

export async function gatePacing(
  deps: AppDeps,
  ctx: DeliveryContext,
  candidates: Array<{ m: ClaimedMessage; contact: ContactRow; address: string }>,
  now: Date,
): Promise<PacingGate> {
  if (candidates.length === 0) return { held: new Map(), release: async () => {} };
  const batch = await paceBatch(deps, {
    accountId: ctx.accountId,
    channel: ctx.channel,
    campaignKind: ctx.campaignKind,
    campaignSettings: ctx.settingsJson,
    now,
    candidates: candidates.map((c) => ({ messageId: c.m.id, address: c.address, contactTimezone: c.contact.timezone })),
  });
  return { held: batch.held, release: (ids) => releaseUnsent(deps, batch, ids) };
}
