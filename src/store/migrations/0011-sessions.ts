// Sign-in for people (issue 5, F4.2): dashboard sessions, the failed attempts that throttle
// password guessing, and soft deletion of users (a deleted user's id stays taken, so the label
// "user:7" in audit trails and four-eyes checks never comes to mean someone else — SQLite would
// hand out the highest rowid again after a hard delete).
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import { type AnyDb, columnTypes } from './column-types.ts';

export function sessionsMigration(caps: DialectCapabilities) {
  const { withId, idType } = columnTypes(caps);
  return {
    async up(db: AnyDb) {
      await withId(db.schema.createTable('sessions'))
        .addColumn('account_id', idType, (c) => c.notNull().references('accounts.id'))
        .addColumn('user_id', idType, (c) => c.notNull().references('users.id'))
        // SHA-256 of the token "hs_…": a leaked database does not leak live sessions.
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // Slides with use (HERALD_SESSION_HOURS), never past created_at + 7 days.
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'id']).execute();

      // One row per failed sign-in, by the (lower-cased) email tried — also for unknown emails, so
      // the throttle answers alike whether or not the address has an account.
      await withId(db.schema.createTable('login_failures'))
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_failures_email').on('login_failures').columns(['email', 'created_at']).execute();

      await db.schema.alterTable('users').addColumn('deleted_at', 'text').execute();
    },
  };
}
