// Import benchmark (target: a 1M-row CSV at ≥ 100,000 rows/s) on SQLite.
//
// A generated file of 1,000,000 rows (email, first_name, last_name, phone, city, plan; city and
// plan become attributes) with about 1% bad rows of four kinds, streamed from disk through
// Herald's real importer (importContactsCsv) into a fresh database, subscribing everyone to one
// list. The reference, in the same run on the same file: csv-parse alone, counting records.
import fs from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { importContactsCsv } from '../src/app/imports/import-contacts-csv.ts';
import { createSqliteDatabase, openBenchApp } from './support/bench-database.ts';
import { emit, progress, round, scaled } from './support/report.ts';

const TARGET_ROWS_PER_S = 100_000;
const T = '2026-03-01T00:00:00.000Z';

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ida', 'Jonas', 'Katja', 'Lukas', 'Zoë', 'Jürgen'];
const LAST = ['Becker', 'Fischer', 'Hoffmann', 'Koch', 'Meyer', 'Schmidt', 'Schulz', 'Wagner', 'Weber', 'Müller'];
const CITIES = ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf', 'Leipzig'];
const PLANS = ['free', 'basic', 'pro', 'business'];

/** Every 100th row is bad, cycling through these kinds; every 250th good row has no email. */
const BAD_EVERY = 100;

function row(i: number): { line: string; bad: boolean } {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i >> 3) % LAST.length];
  const city = CITIES[(i >> 5) % CITIES.length];
  const plan = PLANS[i % PLANS.length];
  const phone = `+49151${String(i).padStart(8, '0')}`;
  const email = `${first.toLowerCase().replace(/[^a-z]/g, '')}.${i}@example.com`;
  if (i % BAD_EVERY === 0) {
    switch ((i / BAD_EVERY) % 4) {
      case 0:
        return { line: `${first}.${i}@@example.com,${first},${last},${phone},${city},${plan}`, bad: true }; // invalid email
      case 1:
        return { line: `${email},${first},${last},0151-CALL-ME,${city},${plan}`, bad: true }; // phone with letters
      case 2:
        return { line: `${email},${first},${last},${phone}`, bad: true }; // too few fields
      default:
        return { line: `${email},${first} "Jr,${last},${phone},${city},${plan}`, bad: true }; // stray quote
    }
  }
  // Quoted fields with a comma, as spreadsheets write them.
  const quotedCity = city.includes(' ') ? `"${city}, Germany"` : city;
  if (i % 250 === 0) return { line: `,${first},${last},${phone},${quotedCity},${plan}`, bad: false };
  return { line: `${email},${first},${last},${phone},${quotedCity},${plan}`, bad: false };
}

async function writeCsv(file: string, rows: number): Promise<{ bytes: number; bad: number }> {
  const out = fs.createWriteStream(file);
  let bad = 0;
  let chunk: string[] = ['email,first_name,last_name,phone,city,plan'];
  for (let i = 1; i <= rows; i++) {
    const r = row(i);
    if (r.bad) bad++;
    chunk.push(r.line);
    if (chunk.length >= 10_000 || i === rows) {
      if (!out.write(`${chunk.join('\n')}\n`)) await once(out, 'drain');
      chunk = [];
    }
  }
  out.end();
  await once(out, 'finish');
  return { bytes: fs.statSync(file).size, bad };
}

/** csv-parse alone, with the options any reader of this file needs (ragged and broken rows). */
async function parseOnly(file: string): Promise<{ records: number; seconds: number }> {
  const t0 = performance.now();
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true }));
  let records = 0;
  for await (const _ of parser) records++;
  return { records: records - 1, seconds: (performance.now() - t0) / 1000 };
}

export async function runImportBench(scale: number): Promise<void> {
  const rows = scaled(1_000_000, scale);
  const db = createSqliteDatabase('import');
  const file = `${db.file}.csv`;
  try {
    progress(`import: writing a ${rows}-row CSV`);
    const csv = await writeCsv(file, rows);
    progress(`import: ${(csv.bytes / 1e6).toFixed(1)} MB, ${csv.bad} bad rows; csv-parse alone`);
    const reference = await parseOnly(file);

    progress('import: Herald importContactsCsv (SQLite)');
    const { app, actor } = await openBenchApp(db.url);
    try {
      const list = await app.deps.store.db
        .insertInto('lists')
        .values({ account_id: actor.accountId, name: 'Imported', description: null, created_at: T, updated_at: T })
        .returning('id')
        .executeTakeFirstOrThrow();
      let lastReport = performance.now();
      const t0 = performance.now();
      const job = await importContactsCsv(app.deps, actor, {
        stream: fs.createReadStream(file),
        listId: list.id,
        source: 'bench',
        onProgress: (p) => {
          if (performance.now() - lastReport < 5000) return;
          lastReport = performance.now();
          progress(`import: ${p.rows} rows read, ${p.imported} imported, ${p.failed} failed`);
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      if (job.status !== 'completed') throw new Error(`import: the job ended ${job.status}: ${JSON.stringify(job.errors.slice(-3))}`);
      const rate = job.total_rows / seconds;
      const referenceRate = reference.records / reference.seconds;
      emit({
        bench: 'import',
        subject: 'herald',
        dialect: 'sqlite',
        rows: job.total_rows,
        imported: job.imported_rows,
        failed: job.failed_rows,
        bad_rows_written: csv.bad,
        file_mb: round(csv.bytes / 1e6, 1),
        seconds: round(seconds, 3),
        rows_per_s: Math.round(rate),
        reference: { name: 'csv-parse-alone', seconds: round(reference.seconds, 3), rows_per_s: Math.round(referenceRate) },
        ratio: round(rate / referenceRate, 3),
        target: `≥ ${TARGET_ROWS_PER_S.toLocaleString('en')} rows/s`,
        target_met: rate >= TARGET_ROWS_PER_S,
      });
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(file, { force: true });
    await db.drop();
  }
}
