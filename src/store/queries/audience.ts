// Named SQL for a delivery's audience: each contact with its best subscription state over the
// campaign's lists and whether an exclusion list holds it. The same aggregate serves the
// preparation (by ranges of contact ids) and the re-check before the hand-off (by a batch of ids).
import { CompiledQuery } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import type { ContactRow } from '../schema.ts';
import type { SegmentRule } from '../../core/segment-rules.ts';
import { compileSegmentRules } from './segment-sql.ts';

/** The campaign's segment rules: contacts must match `include` (if any) and no `exclude`. */
export interface AudienceSegments {
  include: SegmentRule | null;
  exclude: SegmentRule[];
  now: string;
}

export interface AudienceRow {
  contact_id: number;
  any_subscribed: number;
  any_unconfirmed: number;
  excluded: number;
}

class Params {
  readonly values: unknown[] = [];
  readonly #pg: boolean;
  constructor(caps: DialectCapabilities) {
    this.#pg = caps.name === 'postgres';
  }
  add(value: unknown): string {
    this.values.push(value);
    return this.#pg ? `$${this.values.length}` : '?';
  }
  list(values: number[]): string {
    return values.map((v) => this.add(v)).join(',');
  }
  /** A compiled segment fragment, its placeholders numbered after the parameters so far. */
  segment(caps: DialectCapabilities, rules: SegmentRule, accountId: number, now: string): string {
    const c = compileSegmentRules(rules, caps, { accountId, now, contactAlias: 'c', paramOffset: this.values.length });
    this.values.push(...c.params);
    return `(${c.sql})`;
  }
}

/** segment_match / segment_excluded columns (1/0), or NULL when the campaign has no such rule. */
function segmentColumns(p: Params, caps: DialectCapabilities, accountId: number, s: AudienceSegments | undefined): string {
  const match = s?.include ? `CASE WHEN ${p.segment(caps, s.include, accountId, s.now)} THEN 1 ELSE 0 END` : 'NULL';
  const excluded = s?.exclude.length
    ? `CASE WHEN ${s.exclude.map((r) => p.segment(caps, r, accountId, s.now)).join(' OR ')} THEN 1 ELSE 0 END`
    : 'NULL';
  return `${match} AS segment_match, ${excluded} AS segment_excluded`;
}

function aggregates(p: Params, include: number[], exclude: number[]): string {
  // No included lists: the contacts were named explicitly (a trigger event, a one-off message) and
  // count as subscribed; exclusion lists still apply.
  if (include.length === 0) {
    const excludedOnly = exclude.length
      ? `MAX(CASE WHEN s.list_id IN (${p.list(exclude)}) AND s.status <> 'unsubscribed' THEN 1 ELSE 0 END)`
      : '0';
    return `1 AS any_subscribed, 0 AS any_unconfirmed, ${excludedOnly} AS excluded`;
  }
  const subscribed = `MAX(CASE WHEN s.list_id IN (${p.list(include)}) AND s.status = 'subscribed' THEN 1 ELSE 0 END)`;
  const unconfirmed = `MAX(CASE WHEN s.list_id IN (${p.list(include)}) AND s.status = 'unconfirmed' THEN 1 ELSE 0 END)`;
  const excluded = exclude.length
    ? `MAX(CASE WHEN s.list_id IN (${p.list(exclude)}) AND s.status <> 'unsubscribed' THEN 1 ELSE 0 END)`
    : '0';
  return `${subscribed} AS any_subscribed, ${unconfirmed} AS any_unconfirmed, ${excluded} AS excluded`;
}

/**
 * audience-range: contacts on any included list with id in (afterId, upTo]. Pages are id ranges,
 * not LIMITs: with several lists rows do not arrive in contact order, and a LIMIT would make the
 * database group everything after afterId for every page (quadratic on a million contacts).
 */
export function audienceRangeQuery(
  caps: DialectCapabilities,
  a: { accountId: number; include: number[]; exclude: number[]; afterId: number; upTo: number | null; segments?: AudienceSegments },
): CompiledQuery<AudienceRow & { email: string | null; phone: string | null; segment_match: number | null; segment_excluded: number | null }> {
  const p = new Params(caps);
  const select = `${aggregates(p, a.include, a.exclude)}, ${segmentColumns(p, caps, a.accountId, a.segments)}`;
  const lists = p.list([...a.include, ...a.exclude]);
  const account = p.add(a.accountId);
  const after = p.add(a.afterId);
  const upper = a.upTo === null ? '' : ` AND s.contact_id <= ${p.add(a.upTo)}`;
  const included = p.list(a.include);
  return CompiledQuery.raw(
    `SELECT c.id AS contact_id, c.email, c.phone, ${select}
     FROM subscriptions s JOIN contacts c ON c.id = s.contact_id
     WHERE s.list_id IN (${lists}) AND s.account_id = ${account} AND s.contact_id > ${after}${upper}
     GROUP BY c.id, c.email, c.phone
     HAVING MAX(CASE WHEN s.list_id IN (${included}) THEN 1 ELSE 0 END) = 1
     ORDER BY c.id`,
    p.values,
  );
}

/**
 * audience-recheck: the current state of a batch of contacts just before their hand-off, with the
 * whole contact row for rendering. A contact deleted since the preparation is simply absent. It
 * also reads an explicit audience (contact ids named by a trigger or a one-off message) when a
 * delivery of one is prepared.
 */
export function audienceRecheckQuery(
  caps: DialectCapabilities,
  a: { accountId: number; include: number[]; exclude: number[]; contactIds: number[]; segments?: AudienceSegments },
): CompiledQuery<AudienceRow & ContactRow & { segment_match: number | null; segment_excluded: number | null }> {
  const p = new Params(caps);
  const select = `${aggregates(p, a.include, a.exclude)}, ${segmentColumns(p, caps, a.accountId, a.segments)}`;
  const listIds = [...a.include, ...a.exclude];
  const lists = listIds.length ? `s.list_id IN (${p.list(listIds)})` : '1 = 0';
  const account = p.add(a.accountId);
  const ids = p.list(a.contactIds);
  return CompiledQuery.raw(
    `SELECT c.*, c.id AS contact_id, ${select}
     FROM contacts c LEFT JOIN subscriptions s ON s.contact_id = c.id AND ${lists}
     WHERE c.account_id = ${account} AND c.id IN (${ids})
     GROUP BY c.id`,
    p.values,
  );
}
