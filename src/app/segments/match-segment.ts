// Which contacts a segment matches right now: the live count shown while rules are edited (before
// saving), and the first matching contacts as a preview. Optionally only among the members of
// some lists (a campaign's lists), so "list L has 1,200, the segment keeps 0" can be seen early.
import { type Kysely, sql } from 'kysely';
import type { SegmentRule } from '../../core/segment-rules.ts';
import { segmentWhere } from '../../store/queries/segment-sql.ts';
import type { Database } from '../../store/schema.ts';
import { type ContactView, toContactView } from '../contacts/contact-view.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { requireLists } from '../lists/find-list.ts';
import { checkSegmentRules } from './check-rules.ts';
import { requireSegment } from './find-segment.ts';

export interface SegmentMatchInput {
  /** Unsaved rules (a preview while editing) … */
  rules?: unknown;
  /** … or a saved segment. */
  segmentId?: number;
  /** Only contacts with a subscription that is not "unsubscribed" on one of these lists. */
  listIds?: number[];
}

export interface SegmentMatch {
  rules: SegmentRule;
  segmentId: number | null;
  listIds: number[];
}

export const PREVIEW_SIZE = 20;

/** Resolves the input to checked rules and lists of the actor's account. */
export async function resolveSegmentMatch(deps: AppDeps, actor: Actor, input: SegmentMatchInput): Promise<SegmentMatch> {
  const { db } = deps.store;
  const hasRules = input.rules !== undefined;
  if (hasRules === (input.segmentId !== undefined)) throw invalid('rules', 'give either rules or a segment id, not both and not neither');
  let rules: SegmentRule;
  if (input.segmentId !== undefined) {
    const row = await requireSegment(db, actor.accountId, input.segmentId, 'segment_id');
    // Saved rules are checked again: a list they name may have been deleted since.
    rules = await checkSegmentRules(db, actor.accountId, JSON.parse(row.rules));
  } else rules = await checkSegmentRules(db, actor.accountId, input.rules);
  const listIds = [...new Set(input.listIds ?? [])];
  await requireLists(db, actor.accountId, listIds, 'list_ids');
  return { rules, segmentId: input.segmentId ?? null, listIds };
}

/** The account's contacts (alias c) that match, as a Kysely query to select from. */
export function matchingContacts(db: Kysely<Database>, deps: AppDeps, actor: Actor, match: SegmentMatch) {
  let q = db
    .selectFrom('contacts as c')
    .where('c.account_id', '=', actor.accountId)
    .where(segmentWhere(match.rules, deps.store.caps, { accountId: actor.accountId, now: deps.clock.now().toISOString() }));
  if (match.listIds.length > 0) q = q.where(inLists(actor.accountId, match.listIds));
  return q;
}

export function inLists(accountId: number, listIds: number[]) {
  return sql<boolean>`EXISTS (SELECT 1 FROM subscriptions ls WHERE ls.contact_id = c.id AND ls.account_id = ${accountId}
    AND ls.list_id IN (${sql.join(listIds)}) AND ls.status <> 'unsubscribed')`;
}

export interface SegmentCount {
  /** Contacts the rules match (within the lists, if given). */
  count: number;
  /** Contacts the rules were applied to: the account's, or the lists' members. */
  of: number;
}

export async function countSegment(deps: AppDeps, actor: Actor, input: SegmentMatchInput): Promise<SegmentCount> {
  const match = await resolveSegmentMatch(deps, actor, input);
  const { db } = deps.store;
  const matched = await matchingContacts(db, deps, actor, match)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let base = db.selectFrom('contacts as c').where('c.account_id', '=', actor.accountId);
  if (match.listIds.length > 0) base = base.where(inLists(actor.accountId, match.listIds));
  const all = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { count: Number(matched.n), of: Number(all.n) };
}

export async function previewSegment(deps: AppDeps, actor: Actor, input: SegmentMatchInput): Promise<{ items: ContactView[] }> {
  const match = await resolveSegmentMatch(deps, actor, input);
  const rows = await matchingContacts(deps.store.db, deps, actor, match).selectAll('c').orderBy('c.id').limit(PREVIEW_SIZE).execute();
  return { items: rows.map(toContactView) };
}
