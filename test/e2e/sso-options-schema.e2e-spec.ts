import { getMetadataArgsStorage } from 'typeorm';
import { Database } from '../../src/database/database.service';
import { SsoConfigEntity } from '../../src/sso-config/sso-config.entities';
import { optionSpec, storedOptionColumns } from '../../src/sso-config/sso-options';
import { startTestApp, TestApp } from '../helpers/test-app';

/** A column default as information_schema shows it (`true`, `120`, `'member'::text`, `'[]'::jsonb`), as a value. */
function defaultValue(sql: string): unknown {
  const literal = sql.replace(/::[a-z ]+$/, '');
  return literal.startsWith("'") ? (sql.endsWith('::jsonb') ? JSON.parse(literal.slice(1, -1)) : literal.slice(1, -1)) : JSON.parse(literal);
}

describe('the migrated sso_configs table matches the options description', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has each stored option column with the mapped type, and the migration defaults equal the described ones', async () => {
    const rows: { column_name: string; data_type: string; column_default: string | null }[] = await t.app
      .get(Database)
      .manager.query(`SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_name = 'sso_configs'`);
    const columns = new Map(rows.map((row) => [row.column_name, row]));
    const mapped = getMetadataArgsStorage().columns.filter((column) => column.target === SsoConfigEntity);
    for (const { name, column } of storedOptionColumns()) {
      const stored = columns.get(column);
      expect({ name, type: stored?.data_type }).toEqual({ name, type: mapped.find((entry) => entry.propertyName === name)?.options.type });
      if (stored?.column_default) expect({ name, default: defaultValue(stored.column_default) }).toEqual({ name, default: optionSpec(name).default });
    }
  });
});
