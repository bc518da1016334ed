// Kysely's SqliteDialect expects a better-sqlite3-shaped database: statements that take their
// parameters as ONE array and say whether they return rows. node:sqlite takes parameters as
// spread arguments, so this adapter is the only place that knows the difference. We use
// node:sqlite because native addons cannot be compiled for the pinned Node here.
import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;

  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...(parameters as SQLInputValue[]));
  }

  run(parameters: ReadonlyArray<unknown>) {
    const r = this.#stmt.run(...(parameters as SQLInputValue[]));
    return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#stmt.iterate(...(parameters as SQLInputValue[])) as IterableIterator<unknown>;
  }
}

/**
 * What the statement cache may hold, in characters of SQL. A prepared statement's memory grows
 * with its text, ~40 bytes per character (measured: a 2,000-row INSERT of 11 columns, 48,000
 * characters, holds 2 MB), so a cache bounded by count alone could keep hundreds of MB of one-off
 * VALUES lists and IN lists of every length a long campaign produces. 400,000 characters is ~16 MB;
 * the least recently used statements go first.
 */
const CACHE_CHARS = 400_000;
/** A statement longer than this is prepared every time (~0.1 µs per character) and never cached. */
const CACHE_MAX_STATEMENT_CHARS = 60_000;

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  // Statements are cached by SQL text: Kysely compiles the same text for the same query shape,
  // and preparing is a large share of the cost of a small query (and ~10 ms for the ledger's
  // 2,000-row INSERT). A Map keeps insertion order, so re-inserting on a hit makes it an LRU.
  readonly #cache = new Map<string, NodeSqliteStatement>();
  #cachedChars = 0;

  constructor(path: string) {
    this.raw = new DatabaseSync(path);
    // WAL lets the API read while a worker writes; busy_timeout makes a second process
    // (herald worker next to herald serve) wait for the write lock instead of failing.
    this.raw.exec('PRAGMA journal_mode = WAL');
    this.raw.exec('PRAGMA synchronous = NORMAL');
    this.raw.exec('PRAGMA busy_timeout = 10000');
    this.raw.exec('PRAGMA foreign_keys = ON');
  }

  prepare(sql: string): SqliteStatement {
    let stmt = this.#cache.get(sql);
    if (stmt) {
      this.#cache.delete(sql);
      this.#cache.set(sql, stmt);
      return stmt;
    }
    stmt = new NodeSqliteStatement(this.raw.prepare(sql));
    if (sql.length > CACHE_MAX_STATEMENT_CHARS) return stmt;
    this.#cachedChars += sql.length;
    this.#cache.set(sql, stmt);
    // Evicted statements are finalized when garbage-collected.
    for (const oldest of this.#cache.keys()) {
      if (this.#cachedChars <= CACHE_CHARS && this.#cache.size <= 2000) break;
      this.#cache.delete(oldest);
      this.#cachedChars -= oldest.length;
    }
    return stmt;
  }

  close(): void {
    this.#cache.clear();
    this.#cachedChars = 0;
    this.raw.close();
  }
}
