// Reading suppressions of the actor's account: one by id, or a page filtered by channel, reason
// and a part of the address. Only entries in force unless asked otherwise; another account's
// entry is "not found".
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { SuppressionRow } from '../../store/schema-suppressions.ts';
import { containsPattern } from '../contacts/list-contacts.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { requireChannel, requireReason } from './suppression-input.ts';
import { type SuppressionView, toSuppressionView } from './suppression-view.ts';

export async function findSuppressionRow(db: Kysely<Database>, accountId: number, id: number): Promise<SuppressionRow> {
  const row = await db.selectFrom('suppressions').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('suppression', id);
  return row;
}

export async function getSuppression(deps: AppDeps, actor: Actor, id: number): Promise<SuppressionView> {
  return toSuppressionView(await findSuppressionRow(deps.store.db, actor.accountId, id), deps.clock.now().toISOString());
}

export interface ListSuppressionsQuery {
  after?: number;
  limit?: number;
  channel?: string;
  reason?: string;
  /** Part of the address. */
  q?: string;
  /** Also removed and expired entries (default: only those in force). */
  include_inactive?: boolean;
}

export async function listSuppressions(
  deps: AppDeps,
  actor: Actor,
  query: ListSuppressionsQuery,
): Promise<{ items: SuppressionView[]; next_after: number | null }> {
  const now = deps.clock.now().toISOString();
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = deps.store.db.selectFrom('suppressions').selectAll().where('account_id', '=', actor.accountId);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  if (query.channel) select = select.where('channel', '=', requireChannel(query.channel));
  if (query.reason) select = select.where('reason', '=', requireReason(query.reason));
  if (query.q) {
    const pattern = containsPattern(query.q.trim().toLowerCase());
    select = select.where(sql<boolean>`address like ${pattern} escape '\\'`);
  }
  if (!query.include_inactive) {
    select = select.where('removed_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  }
  const rows = await select.orderBy('id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((r) => toSuppressionView(r, now));
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
