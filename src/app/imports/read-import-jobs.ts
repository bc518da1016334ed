// Reading import jobs: one with its row errors, or a page of them (without the errors).
import type { Page } from '../contacts/list-contacts.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { type ImportJobView, toImportJobView } from './import-job-view.ts';

export async function getImportJob(deps: AppDeps, actor: Actor, id: number): Promise<ImportJobView> {
  const row = await deps.store.db.selectFrom('import_jobs').selectAll().where('account_id', '=', actor.accountId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('import', id, 'id');
  return toImportJobView(row);
}

export type ImportJobSummary = Omit<ImportJobView, 'errors'>;

export async function listImportJobs(deps: AppDeps, actor: Actor, query: { after?: number; limit?: number }): Promise<Page<ImportJobSummary>> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
  let select = deps.store.db.selectFrom('import_jobs').selectAll().where('account_id', '=', actor.accountId);
  if (query.after !== undefined) select = select.where('id', '>', query.after);
  const rows = await select.orderBy('id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((r) => {
    const { errors: _errors, ...summary } = toImportJobView({ ...r, errors: '[]' });
    return summary;
  });
  return { items, next_after: rows.length > limit ? items[items.length - 1].id : null };
}
