// Schema of the segments work: saved segments (named rule trees) per account.
import type { CreateTableBuilder, Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped schema
type AnyDb = Kysely<any>;

export function segmentsMigration(caps: DialectCapabilities) {
  // biome-ignore lint/suspicious/noExplicitAny: builder generics do not matter here
  const withId = (t: CreateTableBuilder<string, any>) =>
    caps.name === 'postgres'
      ? t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn('id', 'integer', (c) => c.primaryKey());
  const idType = caps.name === 'postgres' ? 'bigint' : 'integer';

  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('segments'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('segments_account_name', ['account_id', 'name'])
        .execute();
    },
  };
}
