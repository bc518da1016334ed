// The PostgreSQL test suite is on by default and never skipped silently: if the server cannot be
// reached, tests fail with this message unless HERALD_TEST_POSTGRES=off says to run SQLite only.
import pg from 'pg';

export const POSTGRES_OFF = process.env.HERALD_TEST_POSTGRES === 'off';
export const ADMIN_URL = process.env.HERALD_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
