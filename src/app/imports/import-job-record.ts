// The import_jobs row of one import: created "running", its counts written in the same
// transaction as each batch (so they always match what landed), then "completed" or "failed".
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { type ImportJobView, type ImportRowError, toImportJobView } from './import-job-view.ts';

export interface ImportCounts {
  rows: number;
  imported: number;
  failed: number;
}

export async function startImportJob(
  db: Kysely<Database>,
  job: { accountId: number; listId: number | null; source: string; now: string },
): Promise<number> {
  const row = await db
    .insertInto('import_jobs')
    .values({ account_id: job.accountId, list_id: job.listId, source: job.source, status: 'running', created_at: job.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Writes the counts (and the errors as JSON, when given) of a running job. */
export async function recordImportProgress(db: Kysely<Database>, jobId: number, counts: ImportCounts, errorsJson?: string): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      total_rows: counts.rows,
      imported_rows: counts.imported,
      failed_rows: counts.failed,
      ...(errorsJson === undefined ? {} : { errors: errorsJson }),
    })
    .where('id', '=', jobId)
    .execute();
}

export async function finishImportJob(
  db: Kysely<Database>,
  jobId: number,
  outcome: { status: 'completed' | 'failed'; counts: ImportCounts; errors: readonly ImportRowError[]; now: string },
): Promise<ImportJobView> {
  await recordImportProgress(db, jobId, outcome.counts, JSON.stringify(outcome.errors));
  const row = await db
    .updateTable('import_jobs')
    .set({ status: outcome.status, finished_at: outcome.now })
    .where('id', '=', jobId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toImportJobView(row);
}
