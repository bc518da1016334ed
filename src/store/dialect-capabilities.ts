// The few ways SQLite and PostgreSQL differ for Herald, named once (Kysely's own style: yes/no
// capability flags instead of `if (postgres)` spread through the queries).
export interface DialectCapabilities {
  readonly name: 'sqlite' | 'postgres';
  /** `SELECT … FOR UPDATE SKIP LOCKED`: many workers claim disjoint batches without waiting. */
  readonly supportsSkipLocked: boolean;
  /** Bound parameters per statement; inserts are chunked to stay under it. */
  readonly maxParameters: number;
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  supportsSkipLocked: false,
  maxParameters: 32_000,
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  supportsSkipLocked: true,
  maxParameters: 65_000,
};
