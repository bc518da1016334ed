// Databases for benchmarks: a SQLite file in a temp directory (removed afterwards) or a
// PostgreSQL database `herald_bench_<pid>` created on the admin URL and dropped afterwards. The
// app is opened exactly as `herald` opens it (openApp: migrate + default account), with the log
// on stderr so that stdout carries only result lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { Actor } from '../../src/app/deps.ts';
import { type OpenedApp, openApp } from '../../src/app/open-app.ts';
import { loadConfig } from '../../src/config/load-config.ts';

export const POSTGRES_ADMIN_URL = process.env.HERALD_BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  dialect: 'sqlite' | 'postgres';
  url: string;
  /** The SQLite file (null on PostgreSQL). */
  file: string | null;
  drop(): Promise<void>;
}

export function createSqliteDatabase(name: string): BenchDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `herald-bench-${name}-`));
  const file = path.join(dir, 'herald.db');
  return {
    dialect: 'sqlite',
    url: `sqlite:${file}`,
    file,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database, or the reason there is none (server unreachable). */
export async function createPostgresDatabase(): Promise<BenchDatabase | { skipped: string }> {
  const name = `herald_bench_${process.pid}`;
  try {
    await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
    await adminQuery(`CREATE DATABASE ${name}`);
  } catch (err) {
    const u = new URL(POSTGRES_ADMIN_URL);
    return { skipped: `PostgreSQL at ${u.host} is not reachable (${(err as Error).message}); set HERALD_BENCH_POSTGRES_URL` };
  }
  const u = new URL(POSTGRES_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    url: u.toString(),
    file: null,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Environment for Herald processes and for loadConfig: this database, no catcher, quiet logs. */
export function heraldEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HERALD_DATABASE_URL: databaseUrl, HERALD_CATCHER: 'off', HERALD_LOG_LEVEL: 'warn', ...extra };
}

export interface BenchApp {
  app: OpenedApp;
  actor: Actor;
}

export async function openBenchApp(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<BenchApp> {
  const config = loadConfig(heraldEnv(databaseUrl, extraEnv));
  const log = pino({ level: 'warn' }, pino.destination(2));
  const app = await openApp(config, { log });
  return { app, actor: { accountId: app.bootstrap.accountId, role: 'owner', label: 'bench' } };
}
