// Schema of the segments work.
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped schema
type AnyDb = Kysely<any>;

export function segmentsMigration(_caps: DialectCapabilities) {
  return {
    async up(_db: AnyDb) {},
  };
}
