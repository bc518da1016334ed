// Reading segments: one, or a page of them in id order.
import type { Page } from '../contacts/list-contacts.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { requireSegment } from './find-segment.ts';
import { type SegmentView, toSegmentView } from './segment-view.ts';

export async function getSegment(deps: AppDeps, actor: Actor, id: number): Promise<SegmentView> {
  return toSegmentView(await requireSegment(deps.store.db, actor.accountId, id));
}

export async function listSegments(deps: AppDeps, actor: Actor, query: { after?: number; limit?: number }): Promise<Page<SegmentView>> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = deps.store.db.selectFrom('segments').selectAll().where('account_id', '=', actor.accountId);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  const rows = await select.orderBy('id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(toSegmentView);
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
