// The column types that differ between the dialects, for every migration: ids are SQLite rowids
// or PostgreSQL identity bigints, and references to them must use the same type.
import type { CreateTableBuilder, Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped schema
export type AnyDb = Kysely<any>;

export function columnTypes(caps: DialectCapabilities) {
  const pg = caps.name === 'postgres';
  return {
    /** The type of an id column and of every column that references one. */
    idType: pg ? ('bigint' as const) : ('integer' as const),
    realType: pg ? ('double precision' as const) : ('real' as const),
    /** Adds the table's own `id` primary key. */
    // biome-ignore lint/suspicious/noExplicitAny: builder generics do not matter here
    withId: <T extends CreateTableBuilder<string, any>>(t: T): T =>
      (pg ? t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()) : t.addColumn('id', 'integer', (c) => c.primaryKey())) as T,
  };
}
