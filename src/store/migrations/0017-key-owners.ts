// Who created each API key (an actor label such as "user:7"). Four-eyes approval tells people
// apart; a key made by a user acts for that person, so they cannot approve their own campaign
// through it. Keys made before this column (and the bootstrap key) have no owner.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import type { AnyDb } from './column-types.ts';

export function keyOwnersMigration(_caps: DialectCapabilities) {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('api_keys').addColumn('created_by', 'text').execute();
    },
  };
}
