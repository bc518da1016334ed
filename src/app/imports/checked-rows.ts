// The reading half of a CSV import: parses the file and checks every row, handing out batches of
// good contacts with the counts and row errors found up to the end of each batch. It does no I/O
// besides reading the source, so it can run in a worker thread while the importer writes.
import type { Readable } from 'node:stream';
import type { ContactFields } from '../../core/contact-input.ts';
import { AppError, invalid } from '../errors.ts';
import { contactFromRow } from './contact-row.ts';
import { type CsvColumn, mapCsvHeader } from './csv-columns.ts';
import { type CsvRecord, type CsvRecordReader, openCsvRecords } from './csv-records.ts';
import type { ImportRowError } from './import-job-view.ts';

export type CheckedRowsEvent =
  /** The source failed before its first line arrived. */
  | { type: 'unreadable'; message: string }
  /** The header cannot be used: the import is refused. */
  | { type: 'refused'; field: string; reason: string; line: number }
  /**
   * Rows read since the previous event: `rows` and `failed` count them, `errors` are their
   * problems, `contacts` the good ones. `last` ends the file; `streamError` says it broke off.
   */
  | { type: 'batch'; contacts: ContactFields[]; rows: number; failed: number; errors: ImportRowError[]; lastLine: number; last: boolean; streamError?: string };

const EMPTY_FILE = 'the file is empty; the first line must be a header naming the columns, e.g. email,first_name,last_name';

/**
 * Yields batches of up to `batchSize` contacts; stop early with the generator's return().
 * `sourceFailure` is for a source that was read ahead (by checked-rows-thread.ts): it stalls where
 * the original source broke off and this promise says why. The break-off is then reported once
 * every row before it has been read, as if the source had failed just there.
 */
export async function* checkCsvRows(
  stream: Readable | AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  batchSize: number,
  sourceFailure?: Promise<Error>,
): AsyncGenerator<CheckedRowsEvent, void, undefined> {
  let reader: CsvRecordReader;
  try {
    reader = await openCsvRecords(stream);
  } catch (err) {
    yield { type: 'unreadable', message: (err as Error).message };
    return;
  }
  let contacts: ContactFields[] = [];
  let errors: ImportRowError[] = [];
  let rows = 0;
  let failed = 0;
  const report = (e: ImportRowError) => errors.push(e);
  const take = (last: boolean, streamError?: string): CheckedRowsEvent => {
    const event: CheckedRowsEvent = { type: 'batch', contacts, rows, failed, errors, lastLine: reader.lastLine(), last, streamError };
    contacts = [];
    errors = [];
    rows = 0;
    failed = 0;
    return event;
  };
  const reportFaults = (beforeLine?: number) => {
    for (const fault of reader.takeFaults(beforeLine)) {
      rows++;
      failed++;
      report({ line: fault.line, field: 'row', reason: fault.reason });
    }
  };

  let columns: CsvColumn[] | null = null;
  let streamError: Error | null = null;
  try {
    const records = reader.records[Symbol.asyncIterator]();
    // A break-off is raised only once the parser waits for bytes, after a turn of the event loop
    // (bytes already on their way are parsed first): every row before it is read. Waiting then
    // means the source will never deliver, so the parser is stopped to end the wait.
    let failure: Error | null = null;
    let waiting = false;
    const stopIfStalled = () =>
      setImmediate(() => {
        if (waiting) reader.stop();
      });
    void sourceFailure?.then((err) => {
      failure = err;
      stopIfStalled();
    });
    for (;;) {
      let next: IteratorResult<CsvRecord>;
      waiting = true;
      if (failure) stopIfStalled();
      try {
        next = await records.next();
      } catch (err) {
        throw failure ?? err;
      } finally {
        waiting = false;
      }
      if (next.done && failure) throw failure;
      if (next.done) break;
      const record = next.value;
      if (columns === null) {
        const [broken] = reader.takeFaults(record.line);
        try {
          if (broken) throw invalid('header', `the header row cannot be read: ${broken.reason}`);
          columns = mapCsvHeader(record.values);
        } catch (err) {
          reader.stop();
          if (err instanceof AppError) {
            yield { type: 'refused', field: err.field ?? 'header', reason: err.message, line: broken?.line ?? record.line };
            return;
          }
          throw err;
        }
        continue;
      }
      // A long run of bad rows is handed out too: its errors need not pile up until the next batch.
      if (errors.length >= batchSize) yield take(false);
      reportFaults(record.line);
      rows++;
      if (record.values.length !== columns.length) {
        failed++;
        report({ line: record.line, field: 'row', reason: `has ${record.values.length} fields, the header has ${columns.length}` });
        continue;
      }
      const contact = contactFromRow(record.values, columns, record.line, report);
      if (contact === null) {
        failed++;
        continue;
      }
      contacts.push(contact);
      if (contacts.length >= batchSize) yield take(false);
    }
  } catch (err) {
    streamError = err as Error;
  } finally {
    // Also when the consumer stops early (its write failed): no more reading.
    reader.stop();
  }

  if (columns === null && !streamError) {
    const [broken] = reader.takeFaults();
    if (broken) yield { type: 'refused', field: 'header', reason: `the header row cannot be read: ${broken.reason}`, line: broken.line };
    else yield { type: 'refused', field: 'header', reason: EMPTY_FILE, line: 1 };
    return;
  }
  reportFaults();
  yield take(true, streamError?.message);
}
