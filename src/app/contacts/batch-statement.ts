// Multi-row statements whose SQL is compiled once per row count and then reused with new
// parameters. Kysely builds an operation tree per value, which for a 2,000-row insert costs more
// than SQLite's insert itself; and a fixed set of SQL texts lets the SQLite adapter reuse its
// prepared statements. Row counts are decomposed into a few fixed shapes (the largest that fits
// the dialect's parameter limit, then powers of two), so at most ~15 texts exist per statement.
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../../store/dialect-capabilities.ts';
import type { Database } from '../../store/schema.ts';

export interface BatchShape {
  /** Unique name of the statement (cache key). */
  name: string;
  /** Column order of every row's values. */
  columns: readonly string[];
  /** Builds the statement for `rows` placeholder rows (objects with every column set to null). */
  build: (db: Kysely<Database>, rows: Record<string, null>[]) => { compile(): CompiledQuery };
}

const compiled = new Map<string, string>();

/** The largest number of rows one statement may carry under the dialect's parameter limit. */
export function maxRowsPerStatement(caps: DialectCapabilities, columnCount: number): number {
  return Math.max(1, Math.floor(caps.maxParameters / columnCount));
}

/** Splits `total` rows into fixed statement sizes: full statements, then descending powers of two. */
export function splitIntoShapes(total: number, maxRows: number): number[] {
  const sizes: number[] = [];
  let rest = total;
  while (rest >= maxRows) {
    sizes.push(maxRows);
    rest -= maxRows;
  }
  for (let p = 2 ** Math.floor(Math.log2(Math.max(1, maxRows))); rest > 0 && p >= 1; p /= 2) {
    if (rest >= p) {
      sizes.push(p);
      rest -= p;
    }
  }
  return sizes;
}

function sqlFor(db: Kysely<Database>, caps: DialectCapabilities, shape: BatchShape, rowCount: number): string {
  const key = `${caps.name}:${shape.name}:${rowCount}`;
  let text = compiled.get(key);
  if (text === undefined) {
    const placeholder = Object.fromEntries(shape.columns.map((c) => [c, null])) as Record<string, null>;
    const query = shape.build(db, Array.from({ length: rowCount }, () => placeholder)).compile();
    // The reuse is only sound if every value became one parameter, in column order.
    if (query.parameters.length !== rowCount * shape.columns.length) {
      throw new Error(`${shape.name}: expected ${rowCount * shape.columns.length} parameters, got ${query.parameters.length}`);
    }
    text = query.sql;
    compiled.set(key, text);
  }
  return text;
}

/**
 * Runs the statement over `rowCount` rows whose values are laid out flat, row after row, each in
 * `shape.columns` order (no per-row arrays: an import passes millions of values through here).
 */
export async function runBatched<R>(
  db: Kysely<Database>,
  caps: DialectCapabilities,
  shape: BatchShape,
  values: readonly unknown[],
  rowCount: number,
): Promise<{ rows: R[]; affected: number }> {
  const width = shape.columns.length;
  if (values.length !== rowCount * width) throw new Error(`${shape.name}: ${values.length} values for ${rowCount} rows`);
  const out: R[] = [];
  let affected = 0;
  let offset = 0;
  for (const size of splitIntoShapes(rowCount, maxRowsPerStatement(caps, width))) {
    const params = values.slice(offset * width, (offset + size) * width);
    offset += size;
    const result = await db.executeQuery<R>(CompiledQuery.raw(sqlFor(db, caps, shape, size), params as unknown[]));
    for (const r of result.rows) out.push(r);
    affected += Number(result.numAffectedRows ?? 0n);
  }
  return { rows: out, affected };
}
