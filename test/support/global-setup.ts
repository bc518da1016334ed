// Once per test run: a migrated PostgreSQL template database. Each test file copies it
// (CREATE DATABASE … TEMPLATE, a file copy: fast) so files never see each other's rows.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/open-database.ts';
import { ADMIN_URL, POSTGRES_OFF, adminQuery, databaseUrl } from './postgres-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  project.provide('runId', runId);
  if (POSTGRES_OFF) {
    console.warn('\n*** HERALD_TEST_POSTGRES=off: the PostgreSQL suite is NOT running (SQLite only). ***\n');
    project.provide('pgTemplate', null);
    return;
  }
  const template = `herald_tpl_${runId}`;
  try {
    await adminQuery(`CREATE DATABASE ${template}`);
  } catch (err) {
    throw new Error(
      `PostgreSQL test suite: cannot reach ${ADMIN_URL} (${(err as Error).message}). ` +
        'Start PostgreSQL, set HERALD_TEST_POSTGRES_URL to an admin URL, or set HERALD_TEST_POSTGRES=off to run SQLite only.',
    );
  }
  const store = openDatabase(databaseUrl(template));
  await migrateToLatest(store);
  await store.close();
  project.provide('pgTemplate', template);

  return async () => {
    // Drop the template and every per-file copy this run made.
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`herald_%${runId}%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}
