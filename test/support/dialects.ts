// Every storage test runs on every dialect (Kysely's rule: `for (const dialect of DIALECTS)`).
// `describeEachDialect` gives each describe block a fresh, migrated store and app deps with a
// settable clock.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { AppDeps } from '../../src/app/deps.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { Clock } from '../../src/core/clock.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openDatabase, type Store } from '../../src/store/open-database.ts';
import { adminQuery, databaseUrl } from './postgres-admin.ts';

export type DialectName = 'sqlite' | 'postgres';

export class TestClock implements Clock {
  #now: number;
  constructor(start = '2026-03-02T10:00:00.000Z') {
    this.#now = Date.parse(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(iso: string): void {
    this.#now = Date.parse(iso);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export function dialectNames(): DialectName[] {
  return inject('pgTemplate') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh migrated database URL for one dialect (SQLite: a temp file; PostgreSQL: a template copy). */
export async function createTestDatabase(dialect: DialectName): Promise<string> {
  const tag = randomBytes(4).toString('hex');
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
    return `sqlite:${path.join(dir, `herald-${tag}.db`)}`;
  }
  const name = `herald_t_${inject('runId')}_${tag}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  return databaseUrl(name);
}

export interface TestEnv {
  deps: AppDeps;
  store: Store;
  clock: TestClock;
  url: string;
}

export async function createTestEnv(dialect: DialectName, env: Record<string, string> = {}): Promise<TestEnv> {
  const url = await createTestDatabase(dialect);
  const store = openDatabase(url);
  await migrateToLatest(store);
  const clock = new TestClock();
  const config = loadConfig({ HERALD_DATABASE_URL: url, HERALD_CATCHER: 'off', HERALD_PORT: '0', ...env });
  const deps: AppDeps = { store, clock, config, log: pino({ level: process.env.HERALD_TEST_LOG ?? 'silent' }) };
  return { deps, store, clock, url };
}

/**
 * describe() once per dialect. `get()` returns the env created in beforeAll.
 * Example: describeEachDialect('contacts', (get) => { it('…', async () => { const { deps } = get(); }) })
 */
export function describeEachDialect(name: string, body: (get: () => TestEnv, dialect: DialectName) => void): void {
  for (const dialect of dialectNames()) {
    describe(`${name} [${dialect}]`, () => {
      let env: TestEnv | undefined;
      beforeAll(async () => {
        env = await createTestEnv(dialect);
      });
      afterAll(async () => {
        await env?.store.close();
      });
      body(() => {
        if (!env) throw new Error('test env not ready');
        return env;
      }, dialect);
    });
  }
}
