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

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  // Statements are cached by SQL text: Kysely compiles the same text for the same query shape,
  // and preparing is a large share of the cost of a small query.
  readonly #cache = new Map<string, NodeSqliteStatement>();

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
    if (!stmt) {
      stmt = new NodeSqliteStatement(this.raw.prepare(sql));
      if (this.#cache.size > 2000) this.#cache.clear();
      this.#cache.set(sql, stmt);
    }
    return stmt;
  }

  close(): void {
    this.#cache.clear();
    this.raw.close();
  }
}
