// Streaming CSV import of contacts. The file is parsed while it arrives; good rows are upserted in
// batches of 2,048 per transaction (the multi-row statements of the bulk API) while bad rows are
// reported with their line and column. A bad row never stops the import, and rows already written
// stay written even if the stream breaks off half-way: the job then ends "failed", with counts
// that match what landed.
//
// Decisions:
// - The same email (or, without email, phone) twice in one file: later rows win, merged like
//   consecutive upserts (empty cells keep earlier values). The file is a sequence of upserts, so
//   importing it twice changes nothing.
// - Lines are the file's physical lines, counted from 1 (the header); an error names the line the
//   row starts on.
// - Existing subscriptions are left as they are: an import never re-subscribes someone who
//   unsubscribed (see add-subscriptions.ts).
// - Files over a megabyte are parsed and checked in a worker thread (checked-rows-thread.ts) while
//   this thread writes: node:sqlite is synchronous, so on one thread the two would take turns.
// Measured on a shared 2-core VM (SQLite, 1,000,000 rows of 6 columns, 1 % bad, into a list):
// ~86,000 rows/s with parsing in this thread, 105,000–120,000 rows/s with the worker (csv-parse
// alone: ~500,000 rows/s); what is left is SQLite (contact upserts, subscriptions, commits) and
// taking the batches from the worker. PostgreSQL on the same VM: ~40,000 rows/s (20,000 into a
// list), bound by the server, not by this process.
import type { Readable } from 'node:stream';
import type { ContactFields } from '../../core/contact-input.ts';
import { writeContacts } from '../contacts/write-contacts.ts';
import type { Actor, AppDeps } from '../deps.ts';
import { invalid } from '../errors.ts';
import { requireList } from '../lists/find-list.ts';
import { planSubscriptions } from '../lists/subscription-plan.ts';
import { checkedRowsOf } from './checked-rows-thread.ts';
import { finishImportJob, type ImportCounts, recordImportProgress, startImportJob } from './import-job-record.ts';
import type { ImportJobView, ImportRowError } from './import-job-view.ts';
import { notifyImportOutcome } from './notify-import-outcome.ts';

export type ImportProgress = ImportCounts;

export interface ImportContactsCsvInput {
  /** The CSV bytes: a stream, or any (async) iterable of chunks. */
  stream: Readable | AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** Subscribe every imported contact to this list. */
  listId?: number | null;
  /** Status of new subscriptions; default: what the list's opt-in asks for. */
  status?: string | null;
  /** How the file came in, recorded on the job: "api", "cli", … (new subscriptions say "import"). */
  source: string;
  /** Called after each committed batch. */
  onProgress?: (p: ImportProgress) => void;
  /** Rows per transaction (default 2,048: one statement on both dialects unless rows were merged). */
  batchSize?: number;
}

const MAX_STORED_ERRORS = 1000;

/**
 * Imports a CSV and returns the finished job ("completed", or "failed" when the stream broke off).
 * A file whose header cannot be used is refused with an AppError naming the header column; its
 * job is recorded as failed too (the error's details carry import_id).
 */
export async function importContactsCsv(deps: AppDeps, actor: Actor, input: ImportContactsCsvInput): Promise<ImportJobView> {
  const { db, caps } = deps.store;
  const batchSize = input.batchSize ?? 2048;
  const now = () => deps.clock.now().toISOString();
  if (input.status != null && input.listId == null) throw invalid('status', 'a subscription status needs a list (list_id) to subscribe to');
  if (input.listId != null) await requireList(db, actor.accountId, input.listId, 'list_id');
  const plan =
    input.listId != null ? await planSubscriptions(db, actor.accountId, { listIds: [input.listId], status: input.status, source: 'import' }) : undefined;
  const jobId = await startImportJob(db, { accountId: actor.accountId, listId: input.listId ?? null, source: input.source, now: now() });

  const counts: ImportCounts = { rows: 0, imported: 0, failed: 0 };
  const errors: ImportRowError[] = [];
  let errorsChanged = false;
  const report = (e: ImportRowError) => {
    if (errors.length < MAX_STORED_ERRORS) {
      errors.push(e);
      errorsChanged = true;
    }
  };
  const finish = async (status: 'completed' | 'failed') => {
    const job = await finishImportJob(db, jobId, { status, counts, errors, now: now() });
    // F2.4: a failed import, or one with rejected rows, is reported in the notification center.
    await notifyImportOutcome(deps, actor.accountId, job);
    return job;
  };
  const refuse = async (field: string, reason: string, line: number): Promise<never> => {
    errors.push({ line, field, reason });
    await finish('failed');
    throw invalid(field, reason, { import_id: jobId, line });
  };

  let lastLine = 0;
  let writeError: unknown = null;
  /** Writes the batch's contacts and the job's counts in one transaction. */
  const flush = async (batch: readonly ContactFields[]) => {
    // Counts and errors as of the end of this batch: what the job row says matches what landed.
    const progress = { ...counts, imported: counts.imported + batch.length };
    const errorsJson = errorsChanged ? JSON.stringify(errors) : undefined;
    const at = now();
    await db.transaction().execute(async (trx) => {
      if (batch.length > 0) await writeContacts(trx, caps, actor.accountId, batch, at, { subscribe: plan });
      await recordImportProgress(trx, jobId, progress, errorsJson);
    });
    counts.imported = progress.imported;
    errorsChanged = false;
    input.onProgress?.({ ...counts });
  };

  const events = await checkedRowsOf(input.stream, batchSize);
  try {
    for await (const event of events) {
      if (event.type === 'unreadable') {
        errors.push({ line: 1, field: 'file', reason: `the file could not be read: ${event.message}` });
        return await finish('failed');
      }
      if (event.type === 'refused') return await refuse(event.field, event.reason, event.line);
      counts.rows += event.rows;
      counts.failed += event.failed;
      for (const e of event.errors) report(e);
      lastLine = event.lastLine;
      try {
        // Rows accepted before a break-off are still written: nothing already checked is lost.
        await flush(event.contacts);
      } catch (err) {
        writeError = err;
        break;
      }
      if (event.streamError !== undefined) {
        errors.push({ line: lastLine + 1, field: 'file', reason: `the import stopped after line ${lastLine}: ${event.streamError}` });
        return await finish('failed');
      }
    }
  } finally {
    await events.return?.();
  }
  if (writeError !== null) {
    // The store failed: earlier batches are committed; record what happened if the store lets us.
    errors.push({ line: lastLine, field: 'file', reason: `the import stopped: writing to the database failed (${(writeError as Error).message})` });
    await finish('failed').catch(() => undefined);
    throw writeError;
  }
  return finish('completed');
}
