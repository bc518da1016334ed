// Reads CSV records from a byte stream with csv-parse, knowing for each one the physical line it
// starts on, and turning rows csv-parse cannot read (stray or unclosed quotes) into faults with
// their lines instead of aborting the whole file.
import { finished, Readable } from 'node:stream';
import { type CsvError, type Options, parse } from 'csv-parse';
import { sniffDelimiter } from './csv-columns.ts';

export interface CsvRecord {
  /** The line the record starts on (1 = the first line of the file). */
  line: number;
  /** The line it ends on (a quoted field may span lines). */
  endLine: number;
  values: string[];
}

/** A row that could not be read as CSV. */
export interface CsvRowFault {
  line: number;
  reason: string;
}

export interface CsvRecordReader {
  records: AsyncIterable<CsvRecord>;
  /**
   * Takes the faults found before `line` (all of them when omitted), in line order. The parser
   * runs ahead of the consumer, so faults are collected aside and handed out in sequence.
   */
  takeFaults(beforeLine?: number): CsvRowFault[];
  /** The last line read so far. */
  lastLine(): number;
  /** Stops parsing and drains the rest of the source (an HTTP client then still gets our answer). */
  stop(): void;
}

function describeFault(err: CsvError | undefined, line: number, endLine: number): string {
  const span = endLine > line ? `; lines ${line}–${endLine} were read as one row and not imported` : '';
  const code = err?.code ?? '';
  if (code.includes('QUOTE_NOT_CLOSED')) {
    return `a quoted field opened here is never closed; lines ${line}–${endLine} (to the end of the file) were not imported`;
  }
  if (code.includes('INVALID_OPENING_QUOTE')) {
    return `stray quote: a " inside an unquoted field (quote the whole field and double the inner quote: "Bo""b")${span}`;
  }
  if (code.includes('INVALID_CLOSING_QUOTE')) {
    return `stray quote: a quoted field is followed by more text instead of a delimiter or the line end${span}`;
  }
  return `${err?.message ?? 'unreadable row'}${span}`;
}

interface Head {
  /** The first bytes, up to and including the first line break. */
  bytes: Buffer;
  /** The source ended while peeking (a file of one line). */
  ended: boolean;
}

/** Reads the beginning of the source to see the header line, then puts it back (Readable.unshift). */
async function peekHead(source: Readable, max = 64 * 1024): Promise<Head> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source.iterator({ destroyOnReturn: false })) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    chunks.push(buf);
    size += buf.length;
    if (buf.includes(10) || buf.includes(13) || size >= max) {
      const bytes = Buffer.concat(chunks);
      source.unshift(bytes);
      return { bytes, ended: false };
    }
  }
  return { bytes: Buffer.concat(chunks), ended: true };
}

/** Opens the reader; throws if the source fails before its first line arrives. */
export async function openCsvRecords(stream: Readable | AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<CsvRecordReader> {
  const source = stream instanceof Readable ? stream : Readable.from(stream);
  const head = await peekHead(source);

  // csv-parse reports where a record ends and how many empty lines it skipped so far, so a record
  // starts one line after the previous record (or fault) plus the empty lines in between.
  let lastEnd = 0;
  let lastEmpty = 0;
  let recordCount = 0;
  let lastFault = { line: 0, recordCount: -1 };
  const faults: CsvRowFault[] = [];
  const options: Options<CsvRecord, string[]> = {
    bom: true,
    delimiter: sniffDelimiter(head.bytes.toString('utf8')),
    // Wrong field counts are judged by the importer against the header, with a clear message.
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (values: string[], ctx): CsvRecord => {
      const line = lastEnd + 1 + (ctx.empty_lines - lastEmpty);
      lastEnd = ctx.lines;
      lastEmpty = ctx.empty_lines;
      recordCount++;
      return { line, endLine: ctx.lines, values };
    },
    on_skip: (err) => {
      // After a stray closing quote csv-parse stays "inside quotes" and would swallow the following
      // lines up to the next quote character; ending the quoted state confines the damage to this
      // line. (`state` is csv-parse's public-for-compatibility parser state.)
      if (err?.code === 'CSV_INVALID_CLOSING_QUOTE') (parser as unknown as { state: { quoting: boolean } }).state.quoting = false;
      // So a bad record ends at the end of the line of its first fault; a second fault on that line
      // (with no record in between) belongs to the same record and is not a new row.
      if (parser.info.lines === lastFault.line && recordCount === lastFault.recordCount) return undefined;
      lastFault = { line: parser.info.lines, recordCount };
      const line = lastEnd + 1 + (parser.info.empty_lines - lastEmpty);
      const endLine = Math.max(line, (err as { lines?: number } | undefined)?.lines ?? parser.info.lines);
      lastEnd = endLine;
      lastEmpty = parser.info.empty_lines;
      faults.push({ line, reason: describeFault(err, line, endLine) });
      return undefined;
    },
  };
  // csv-parse types records as string[] unless columns are named; on_record reshapes them.
  const parser = parse(options as unknown as Options);
  if (head.ended) parser.end(head.bytes);
  else {
    // A source that fails or closes before its end (a client that hangs up) ends the parse with that error.
    finished(source, (err) => {
      if (err) parser.destroy(err);
    });
    source.pipe(parser);
  }

  return {
    records: parser as AsyncIterable<CsvRecord>,
    takeFaults(beforeLine = Number.POSITIVE_INFINITY) {
      let n = 0;
      while (n < faults.length && faults[n].line < beforeLine) n++;
      return n === 0 ? [] : faults.splice(0, n);
    },
    lastLine: () => lastEnd,
    stop() {
      source.unpipe(parser);
      parser.destroy();
      if (!source.destroyed) source.resume();
    },
  };
}
