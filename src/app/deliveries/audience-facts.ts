// Gathers the facts the pure decision needs (src/core/decide-message.ts) for a batch of audience
// rows: one query per kind of fact per batch, never one per contact. Used when a delivery is
// prepared, again just before the hand-off, and by the dry run behind diagnosis and export.
import { emailAddressProblem, normalizePhone } from '../../core/address.ts';
import { type Channel, addressFor } from '../../core/channels.ts';
import type { ConsentFact, MessageFacts, MessageKind, SuppressionFact } from '../../core/decide-message.ts';
import type { SegmentRule } from '../../core/segment-rules.ts';
import type { AudienceRow, AudienceSegments } from '../../store/queries/audience.ts';
import type { CampaignAudience } from '../campaigns/campaign-input.ts';
import type { AppDeps } from '../deps.ts';
import { factLoaders } from './fact-loaders.ts';

export interface AudienceScope {
  accountId: number;
  channel: Channel;
  kind: MessageKind;
  audience: CampaignAudience;
  /** The campaign's segment rules, compiled into the audience queries. */
  segments: ScopeSegments;
}

export interface ScopeSegments extends AudienceSegments {
  includeName: string | null;
  excludeNames: string[];
}

/** The scope of a campaign's audience, with its segments' rules loaded (one query). */
export async function audienceScope(
  deps: AppDeps,
  accountId: number,
  channel: Channel,
  audience: CampaignAudience,
  kind: MessageKind = 'marketing',
): Promise<AudienceScope> {
  const ids = [...(audience.segment_id ? [audience.segment_id] : []), ...audience.exclude_segment_ids];
  const rows = ids.length
    ? await deps.store.db.selectFrom('segments').select(['id', 'name', 'rules']).where('account_id', '=', accountId).where('id', 'in', ids).execute()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const include = audience.segment_id ? byId.get(audience.segment_id) : undefined;
  // A segment deleted after the campaign was saved matches nobody rather than everybody.
  const nobody = { not: { all: [] } } as unknown as SegmentRule;
  const excluded = audience.exclude_segment_ids.map((id) => byId.get(id));
  return {
    accountId,
    channel,
    kind,
    audience,
    segments: {
      include: audience.segment_id ? (include ? (JSON.parse(include.rules) as SegmentRule) : nobody) : null,
      includeName: include?.name ?? null,
      exclude: excluded.filter((r) => r !== undefined).map((r) => JSON.parse(r.rules) as SegmentRule),
      excludeNames: excluded.filter((r) => r !== undefined).map((r) => r.name),
      now: deps.clock.now().toISOString(),
    },
  };
}

export type AudienceFactRow = AudienceRow & {
  email: string | null;
  phone: string | null;
  /** 1/0 when the campaign has a segment; null when it has none. */
  segment_match?: number | null;
  segment_excluded?: number | null;
};

export interface BatchFacts {
  suppressions: Map<string, SuppressionFact>;
  consent: Map<number, ConsentFact>;
  frequencyCapped: Set<number>;
  frequencyCap: { limit: number; days: number } | null;
}

export async function loadBatchFacts(deps: AppDeps, scope: AudienceScope, rows: AudienceFactRow[], now: Date): Promise<BatchFacts> {
  const addresses = [...new Set(rows.map((r) => addressFor(scope.channel, r)).filter((a): a is string => a !== null))];
  const contactIds = rows.map((r) => r.contact_id);
  const unconfirmed = rows.filter((r) => !Number(r.any_subscribed) && Number(r.any_unconfirmed)).map((r) => r.contact_id);
  const [suppressions, consent, capped] = await Promise.all([
    addresses.length ? factLoaders.suppressions(deps, scope.accountId, scope.channel, addresses, now) : new Map<string, SuppressionFact>(),
    unconfirmed.length ? factLoaders.consent(deps, scope.accountId, unconfirmed, scope.audience.list_ids) : new Map<number, ConsentFact>(),
    scope.kind === 'marketing' && contactIds.length
      ? factLoaders.frequencyCapped(deps, scope.accountId, contactIds, now)
      : { capped: new Set<number>(), cap: null },
  ]);
  return { suppressions, consent, frequencyCapped: capped.capped, frequencyCap: capped.cap };
}

function addressProblem(channel: Channel, address: string | null): string | null {
  if (!address) return null;
  if (channel === 'email') {
    const p = emailAddressProblem(address);
    return p === 'reserved_domain' ? 'a reserved domain that can never receive mail' : p === 'syntax' ? 'not a valid email address' : null;
  }
  if (channel === 'sms') {
    const r = normalizePhone(address);
    return r.ok ? null : r.reason;
  }
  return null;
}

export function factsFor(scope: AudienceScope, row: AudienceFactRow, batch: BatchFacts, duplicate: boolean): MessageFacts {
  const address = addressFor(scope.channel, row);
  const subscribed = Number(row.any_subscribed) === 1;
  const unconfirmed = !subscribed && Number(row.any_unconfirmed) === 1;
  return {
    channel: scope.channel,
    kind: scope.kind,
    contact: { email: row.email, phone: row.phone },
    address_problem: addressProblem(scope.channel, address),
    excluded_by_list: Number(row.excluded) === 1 ? { list_name: null } : null,
    excluded_by_segment:
      row.segment_excluded != null && Number(row.segment_excluded) === 1
        ? { segment_name: scope.segments.excludeNames.join(' or ') || null, exclusion: true }
        : row.segment_match != null && Number(row.segment_match) === 0
          ? { segment_name: scope.segments.includeName, exclusion: false }
          : null,
    suppression: address ? (batch.suppressions.get(address) ?? null) : null,
    subscription: { status: subscribed ? 'subscribed' : unconfirmed ? 'unconfirmed' : 'unsubscribed' },
    consent: batch.consent.get(row.contact_id) ?? null,
    duplicate,
    frequency_capped: batch.frequencyCapped.has(row.contact_id) ? batch.frequencyCap : null,
  };
}
