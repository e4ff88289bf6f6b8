import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The PostgreSQL the tests run against, when one is given; otherwise the embedded one.
 * `TEST_DATABASE=embedded` picks the embedded one even when a PostgreSQL is given (the jest project
 * that runs the login suites on it a second time sets it).
 */
export function basePostgresUrl(): string | null {
  if (process.env.TEST_DATABASE === 'embedded') return null;
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
}

/**
 * A database of its own for one test file, so files running in parallel share nothing.
 * Returns null when the tests run on the embedded PostgreSQL (each app then gets its own DATA_DIR).
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const base = basePostgresUrl();
  if (!base) return null;
  const name = `sso_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
