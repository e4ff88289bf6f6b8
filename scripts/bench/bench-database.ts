import { Client } from 'pg';
import { loopbackUrl } from './loopback';

/**
 * Drops and creates the bench database, so every run starts from empty tables. Only a database on
 * this machine whose name says it is a bench database is ever dropped.
 */
export async function recreateBenchDatabase(databaseUrl: string): Promise<void> {
  const url = loopbackUrl(databaseUrl, '--database-url');
  const name = benchDatabaseName(databaseUrl);
  const maintenanceUrl = new URL(url);
  maintenanceUrl.pathname = '/postgres';
  const client = new Client({ connectionString: maintenanceUrl.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** The database name of the URL, refused unless it says it is a bench database. */
export function benchDatabaseName(databaseUrl: string): string {
  const name = decodeURIComponent(loopbackUrl(databaseUrl, '--database-url').pathname.slice(1));
  if (!/^[a-z0-9_]*bench[a-z0-9_]*$/.test(name)) {
    throw new Error(`--database-url must name a database with "bench" in its name (lowercase, digits, _), got "${name}"`);
  }
  return name;
}
