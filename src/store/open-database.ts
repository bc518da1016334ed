// Opens the store named by a database URL and returns the Kysely instance with the dialect's
// capability flags. This is the only module that knows which driver backs which URL.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { type DialectCapabilities, postgresCapabilities, sqliteCapabilities } from './dialect-capabilities.ts';
import type { Database } from './schema.ts';
import { NodeSqliteDatabase } from './sqlite-node-adapter.ts';

// int8 (bigint ids, count(*)) arrives as a string by default; every value Herald stores fits in
// a double, so parse it to a number once here instead of at every call site.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric (averages, sums) likewise.
pg.types.setTypeParser(1700, (v) => Number(v));

export interface Store {
  db: Kysely<Database>;
  caps: DialectCapabilities;
  url: string;
  close(): Promise<void>;
}

export function openDatabase(url: string, options: { poolSize?: number } = {}): Store {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const database = new NodeSqliteDatabase(file);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    return { db, caps: sqliteCapabilities, url, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, caps: postgresCapabilities, url, close: () => db.destroy() };
}
