import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { VerifiedDomains1764375300000 } from '../../migrations/1764375300000-VerifiedDomains';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createTestDatabase } from '../helpers/test-database';

/** A database migrated up to `migrations`, on PostgreSQL when the tests have one, else embedded. */
async function migrate(url: string, migrations: typeof MIGRATIONS): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsTableName: 'schema_migrations', extra: { max: 1 } });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

describe('the verified-domains migration', () => {
  let url: string;
  let cleanUp: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    if (database) {
      url = database.url;
      cleanUp = database.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'sso-migration-'));
      const embedded = await EmbeddedPostgres.start(dir);
      url = embedded.url;
      cleanUp = async () => {
        await embedded.stop();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(() => cleanUp());

  it('turns every first-come domain into a pending claim with a token of its own', async () => {
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(VerifiedDomains1764375300000));
    const database = await migrate(url, before);
    const tenantId = randomUUID();
    const columns: { column_name: string }[] = await database.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'sso_configs' AND is_nullable = 'NO' AND column_default IS NULL`,
    );
    const required = columns.map((c) => c.column_name).filter((name) => !['tenant_type', 'tenant_id', 'enabled', 'attribute_mapping'].includes(name));
    await database.query(
      `INSERT INTO sso_configs (tenant_type, tenant_id, enabled, attribute_mapping${required.map((name) => `, ${name}`).join('')})
       VALUES ('organization', $1, true, '{}'${required.map(() => `, 'x'`).join('')})`,
      [tenantId],
    );
    await database.query(`INSERT INTO sso_domains (domain, tenant_type, tenant_id) VALUES ('acme.com', 'organization', $1), ('acme.org', 'organization', $1)`, [tenantId]);
    // The later migrations on the same connection, as the migration runner would apply them.
    const runner = database.createQueryRunner();
    for (const Migration of MIGRATIONS.slice(before.length)) await new Migration().up(runner);
    await runner.release();
    const claims: { domain: string; status: string; token: string; tenant_id: string }[] = await database.query(
      'SELECT domain, status, token, tenant_id FROM domain_claims ORDER BY domain',
    );
    expect(claims.map(({ domain, status, tenant_id }) => ({ domain, status, tenant_id }))).toEqual([
      { domain: 'acme.com', status: 'pending', tenant_id: tenantId },
      { domain: 'acme.org', status: 'pending', tenant_id: tenantId },
    ]);
    expect(claims[0].token).toMatch(/^[0-9a-f]{40}$/);
    expect(claims[0].token).not.toBe(claims[1].token);
    const oldTable = await database.query(`SELECT to_regclass('sso_domains') AS name`);
    expect(oldTable[0].name).toBeNull();
    await database.destroy();
  });
});
