// Schema of the segments work: saved segments (named rule trees) per account.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function segmentsMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);

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
