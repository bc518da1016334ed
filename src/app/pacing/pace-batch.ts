// Pacing for one dispatch batch, just before the hand-off: of the messages that would go now,
// which wait for the end of quiet hours (in the recipient's zone, spread over the ramp), and which
// wait for capacity (the account's daily limit, the recipient domain's per-minute throttle). The
// rest have their capacity reserved. A few queries per batch, none per message.
import { IANAZone } from 'luxon';
import type { Channel } from '../../core/channels.ts';
import type { PacingFacts } from '../../core/decide-message.ts';
import { recipientDomain } from '../../core/pacing/default-domain-throttles.ts';
import { effectiveQuietHours } from '../../core/pacing/effective-quiet-hours.ts';
import type { PacingPolicy } from '../../core/pacing/pacing-policy.ts';
import { quietHoursEnd, rampedStart } from '../../core/pacing/quiet-hours.ts';
import type { AppDeps } from '../deps.ts';
import { loadPacingPolicy } from './account-policy.ts';
import { loadDailyLimitToday } from './daily-limit-today.ts';
import { notifyLimitReached } from './notify-pacing.ts';
import { pruneSendCounters, releaseSends, reserveSends, type SendReservation } from './send-counters.ts';

export interface PacingCandidate {
  messageId: number;
  address: string;
  /** The contact's IANA zone; the account's zone is used when it is missing or unknown. */
  contactTimezone: string | null;
}

export interface HeldMessage {
  until: Date;
  reason: 'quiet_hours' | 'daily_limit' | 'domain_throttle';
  detail: string;
}

export interface PacedBatch {
  /** Messages that must wait, with until when and why; every other candidate may go now. */
  held: Map<number, HeldMessage>;
  /** The capacity taken for the others; give back what is not handed off with releaseUnsent. */
  reservation: SendReservation | null;
  /** Recipient domain of each message capacity was reserved for. */
  reservedDomain: Map<number, string>;
}

export interface PaceBatchInput {
  accountId: number;
  channel: Channel;
  /** campaigns.kind: automated campaigns always respect quiet hours, 'one-off' only if set. */
  campaignKind: string;
  /** campaigns.settings JSON (may override quiet hours). */
  campaignSettings: string | null;
  now: Date;
  candidates: readonly PacingCandidate[];
  /** The account's policy, when the caller already has it (saves a query per batch). */
  policy?: PacingPolicy;
}

export async function paceBatch(deps: AppDeps, input: PaceBatchInput): Promise<PacedBatch> {
  const policy = input.policy ?? (await loadPacingPolicy(deps, input.accountId));
  const held = new Map<number, HeldMessage>();
  const quiet = effectiveQuietHours(policy, input.campaignSettings, input.campaignKind);
  const zoneOk = new Map<string, boolean>();
  const zoneOf = (tz: string | null) => {
    if (!tz) return policy.timezone;
    if (!zoneOk.has(tz)) zoneOk.set(tz, IANAZone.isValidZone(tz));
    return zoneOk.get(tz) ? tz : policy.timezone;
  };

  const open: Array<{ messageId: number; domain: string }> = [];
  for (const c of input.candidates) {
    const zone = zoneOf(c.contactTimezone);
    const end = quiet ? quietHoursEnd(input.now, zone, quiet) : null;
    if (quiet && end) {
      const until = rampedStart(end, quiet.ramp_minutes, c.messageId);
      held.set(c.messageId, {
        until,
        reason: 'quiet_hours',
        detail: `quiet hours ${quiet.start}–${quiet.end} in ${zone}; goes at ${until.toISOString()} (the backlog is spread over ${quiet.ramp_minutes} minutes after ${quiet.end})`,
      });
    } else {
      open.push({ messageId: c.messageId, domain: recipientDomain(c.address) });
    }
  }
  if (open.length === 0) return { held, reservation: null, reservedDomain: new Map() };

  const wanted = new Map<string, number>();
  for (const o of open) wanted.set(o.domain, (wanted.get(o.domain) ?? 0) + 1);
  const daily = await loadDailyLimitToday(deps, { accountId: input.accountId, channel: input.channel, policy, now: input.now });
  const { granted, deferredUntil, reservation } = await reserveSends(deps, {
    accountId: input.accountId,
    channel: input.channel,
    now: input.now,
    zone: policy.timezone,
    domains: wanted,
    dailyLimit: daily.limit,
    dailyDetail: daily.explanation.join('; '),
    throttles: policy.domain_throttles,
  });
  await pruneSendCounters(deps, input.accountId, input.now);

  const reservedDomain = new Map<number, string>();
  const left = new Map(granted);
  for (const o of open) {
    const n = left.get(o.domain) ?? 0;
    if (n > 0) {
      left.set(o.domain, n - 1);
      reservedDomain.set(o.messageId, o.domain);
      continue;
    }
    const d = deferredUntil.get(o.domain);
    if (d) held.set(o.messageId, d);
  }
  const limited = [...held.values()].filter((h) => h.reason === 'daily_limit');
  if (limited.length > 0) {
    const { until, detail } = limited[0];
    await notifyLimitReached(deps, { accountId: input.accountId, channel: input.channel, day: daily.day.date, limit: daily.limit, held: limited.length, until, detail });
  }
  return { held, reservation, reservedDomain };
}

/** The decision's pacing facts for one message of a paced batch. */
export function pacingFactsFor(batch: PacedBatch, messageId: number, now: Date): PacingFacts {
  const h = batch.held.get(messageId);
  if (!h) return { now, quiet_until: null, limited: null };
  if (h.reason === 'quiet_hours') return { now, quiet_until: h.until, limited: null };
  return { now, quiet_until: null, limited: { until: h.until, reason: h.reason, detail: h.detail } };
}

/** Gives back the capacity of reserved messages that were not handed off after all. */
export async function releaseUnsent(deps: AppDeps, batch: PacedBatch, messageIds: Iterable<number>): Promise<void> {
  if (!batch.reservation) return;
  const domains = new Map<string, number>();
  for (const id of messageIds) {
    const domain = batch.reservedDomain.get(id);
    if (domain === undefined) continue;
    batch.reservedDomain.delete(id);
    domains.set(domain, (domains.get(domain) ?? 0) + 1);
  }
  if (domains.size) await releaseSends(deps, batch.reservation, domains);
}
