// F2.4: an import that failed, or finished with rejected rows, is reported in the notification
// center — how many rows, and the first errors with their line and field — so that whoever runs
// imports unattended (a nightly file) learns of it without polling the job.
import type { AppDeps } from '../deps.ts';
import { notify } from '../notifications/notify.ts';
import type { ImportJobView } from './import-job-view.ts';

/** How many row errors the notification quotes (the job keeps up to 1,000). */
const QUOTED_ERRORS = 5;

export async function notifyImportOutcome(deps: AppDeps, accountId: number, job: ImportJobView): Promise<void> {
  if (job.status !== 'failed' && job.failed_rows === 0) return;
  const first = job.errors.slice(0, QUOTED_ERRORS);
  const lines = first.map((e) => `line ${e.line}, ${e.field}: ${e.reason}`);
  const remaining = Math.max(job.errors.length, job.failed_rows) - first.length;
  const more = remaining > 0 ? `\n… and ${remaining.toLocaleString('en')} more (GET /api/v1/imports/${job.id})` : '';
  const title =
    job.status === 'failed'
      ? `Contact import ${job.id} failed`
      : `Contact import ${job.id} rejected ${job.failed_rows.toLocaleString('en')} of ${job.total_rows.toLocaleString('en')} rows`;
  const counts = `${job.total_rows.toLocaleString('en')} rows read, ${job.imported_rows.toLocaleString('en')} imported, ${job.failed_rows.toLocaleString('en')} rejected.`;
  try {
    await notify(deps, {
      accountId,
      kind: 'import_failed',
      title,
      body: `${counts}${lines.length ? `\n${lines.join('\n')}` : ''}${more}`,
      data: { import_id: job.id, status: job.status, source: job.source, list_id: job.list_id, total_rows: job.total_rows, imported_rows: job.imported_rows, failed_rows: job.failed_rows, errors: first },
      subject: { type: 'import', id: job.id },
      dedupeKey: `import_failed:${job.id}`,
    });
  } catch (err) {
    deps.log.error({ err, importId: job.id }, 'could not write the import_failed notification');
  }
}
