import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Database } from '../../src/database/database.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createTestResponse } from '../helpers/test-idp';
import { createSsoTenant, postToAcs, startSignIn, SsoTenant } from '../helpers/sso-tenant';

// PGlite is one session behind its socket server: every connection the pool opens reaches the
// session the previous one left, so this suite is about the embedded database whatever the run uses.
process.env.TEST_DATABASE = 'embedded';

describe('the embedded database session across connections', () => {
  let t: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  const database = () => t.app.get(Database);
  const pool = () => (database().manager.connection.driver as PostgresDriver).master as Pool;

  /** An SP-initiated login: the login start and the ACS each write with a named (prepared) statement. */
  async function logIn(): Promise<void> {
    const { requestId, relayState } = await startSignIn(t, tenant, '/after');
    const response = await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo: requestId });
    const acs = await postToAcs(t, tenant, response.base64, relayState);
    expect({ status: acs.status, body: acs.status === 302 ? '' : acs.text }).toEqual({ status: 302, body: '' });
  }

  /** Leaves `state` on the session through one connection, then drops that connection. */
  async function dropConnectionAfter(state: (client: PoolClient) => Promise<unknown>): Promise<void> {
    const client = await pool().connect();
    await state(client).catch(() => undefined);
    const removed = once(pool(), 'remove');
    client.release(new Error('simulated connection loss'));
    await removed;
  }

  it('keeps logging users in after the pool closed its idle connection', async () => {
    await logIn();
    const configured = pool().options.idleTimeoutMillis;
    pool().options.idleTimeoutMillis = 50;
    try {
      const removed = once(pool(), 'remove');
      await database().ping();
      await removed;
    } finally {
      pool().options.idleTimeoutMillis = configured;
    }
    await logIn();
    await dropConnectionAfter(async () => undefined);
    await logIn();
  });

  it('never closes its one connection for being idle', () => {
    expect(pool().options).toMatchObject({ max: 1, idleTimeoutMillis: 0 });
  });

  it.each([
    ['a setting', (client: PoolClient) => client.query('SET default_transaction_read_only = on'), 'SHOW default_transaction_read_only', [{ default_transaction_read_only: 'off' }]],
    ['an open transaction', (client: PoolClient) => client.query('BEGIN'), 'SELECT now() = statement_timestamp() AS "fresh"', [{ fresh: true }]],
    [
      'an aborted transaction',
      async (client: PoolClient) => {
        await client.query('BEGIN');
        await client.query('SELECT 1 / 0');
      },
      'SELECT 1 AS "one"',
      [{ one: 1 }],
    ],
    [
      'an advisory lock held by housekeeping',
      (client: PoolClient) => client.query('SELECT pg_advisory_lock(hashtext($1))', ['sso-service:housekeeping']),
      `SELECT count(*)::int AS "locks" FROM pg_locks WHERE locktype = 'advisory'`,
      [{ locks: 0 }],
    ],
    ['a temporary table', (client: PoolClient) => client.query('CREATE TEMP TABLE left_behind (id int)'), `SELECT to_regclass('left_behind') AS "table"`, [{ table: null }]],
  ] as const)('gives the next connection a fresh session when one drops leaving %s', async (_state, leave, check, expected) => {
    await logIn();
    await dropConnectionAfter(leave);
    expect(await database().manager.query(check)).toEqual(expected);
    await logIn();
    // A fresh session holds only what this login prepared: the login start's insert and the ACS's statement.
    expect(await database().manager.query(`SELECT count(*)::int AS "statements" FROM pg_prepared_statements`)).toEqual([{ statements: 2 }]);
  });
});
