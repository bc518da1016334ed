// Templates of the account by id, a page at a time (keyset: `after` is the last id seen).
// Bodies are left out: a page of newsletters would be megabytes; GET /templates/:id has them.
import type { Actor, AppDeps } from '../deps.ts';
import type { TemplateView } from './template-view.ts';

export type TemplateSummary = Omit<TemplateView, 'body'>;

export interface TemplatePage {
  items: TemplateSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  next_after: number | null;
}

export async function listTemplates(deps: AppDeps, actor: Actor, page: { limit?: number; after?: number } = {}): Promise<TemplatePage> {
  const limit = Math.min(Math.max(page.limit ?? 100, 1), 1000);
  const rows = await deps.store.db
    .selectFrom('templates')
    .select(['id', 'name', 'channel', 'format', 'subject', 'version', 'created_at', 'updated_at'])
    .where('account_id', '=', actor.accountId)
    .where('id', '>', page.after ?? 0)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((r) => ({ ...r, format: r.format as TemplateSummary['format'] }));
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
