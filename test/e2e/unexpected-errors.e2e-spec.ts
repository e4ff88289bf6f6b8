import { Database } from '../../src/database/database.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { captureLogLines } from '../helpers/log-lines';
import { createTestResponse } from '../helpers/test-idp';
import { countSessions, createSsoTenant, lastAttempt, postToAcs, sessionCookieOf, SsoTenant, startSignIn } from '../helpers/sso-tenant';

/** 8 characters of Crockford's base32: no I, L, O or U. */
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{8}$/;
const FAULT = 'injected fault';

function referenceOnPage(html: string): string {
  const reference = /<code id="reference">([^<]*)<\/code>/.exec(html)?.[1] ?? '';
  expect(reference).toMatch(REFERENCE);
  return reference;
}

function headOf(html: string): string {
  return html.slice(0, html.indexOf('</head>'));
}

describe('failures the service did not expect', () => {
  const { lines, stream: logStream } = captureLogLines();
  let t: TestApp;
  let tenant: SsoTenant;

  /** Makes every insert into `table` fail inside the database, as a defect of the database layer would. */
  async function failInserts(table: string): Promise<() => Promise<void>> {
    const database = t.app.get(Database);
    const name = `fail_${table}`;
    await database.manager.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${FAULT} in ${table}'; END $$`,
    );
    await database.manager.query(`CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return async () => {
      await database.manager.query(`DROP TRIGGER ${name} ON ${table}`);
      await database.manager.query(`DROP FUNCTION ${name}()`);
    };
  }

  async function logLineWith(reference: string): Promise<Record<string, any>> {
    await new Promise((resolve) => setImmediate(resolve));
    const entry = lines.map((line) => JSON.parse(line)).find((candidate) => candidate.reference === reference);
    expect(entry).toBeDefined();
    return entry;
  }

  async function signInResponse(): Promise<{ samlResponse: string; relayState: string }> {
    const { requestId, relayState } = await startSignIn(t, tenant);
    const response = await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, inResponseTo: requestId });
    return { samlResponse: response.base64, relayState };
  }

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logStream });
    tenant = await createSsoTenant(t, 'organization');
  });
  afterAll(() => t.close());

  it("at the ACS, in the login's own write: a 500 page with a reference, the attempt recorded as internal_error under it, and the log line", async () => {
    const sessionsBefore = await countSessions(t, tenant);
    const restore = await failInserts('sessions');
    let page: { status: number; text: string; headers: Record<string, string> };
    try {
      const { samlResponse, relayState } = await signInResponse();
      page = await postToAcs(t, tenant, samlResponse, relayState);
    } finally {
      await restore();
    }

    expect(page.status).toBe(500);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(sessionCookieOf(page)).toBeNull();
    const reference = referenceOnPage(page.text);
    expect(page.text).toContain('internal_error');
    expect(page.text).not.toContain(FAULT);
    expect(page.text).not.toMatch(/at .*\.[jt]s:\d+|node_modules|QueryFailed|DatabaseError/);
    expect(await countSessions(t, tenant)).toBe(sessionsBefore);

    const attempt = await lastAttempt(t, tenant);
    expect(attempt).toMatchObject({ outcome: 'failure', reason: 'internal_error', reference });

    const logged = await logLineWith(reference);
    expect(logged).toMatchObject({ reason: 'internal_error', req: { path: `${tenant.samlPath}/acs` }, res: { statusCode: 500 } });

    const { samlResponse, relayState } = await signInResponse();
    await postToAcs(t, tenant, samlResponse, relayState).expect(302);
  });

  it('has the look of the other SAML error pages, which carry their own reference to their attempt', async () => {
    const restore = await failInserts('sessions');
    let unexpected: string;
    try {
      const { samlResponse, relayState } = await signInResponse();
      unexpected = (await postToAcs(t, tenant, samlResponse, relayState).expect(500)).text;
    } finally {
      await restore();
    }
    const unsigned = await createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, sign: 'none' });
    const refused = await postToAcs(t, tenant, unsigned.base64).expect(400);

    expect(headOf(unexpected)).toBe(headOf(refused.text));
    const reference = referenceOnPage(refused.text);
    expect(reference).not.toBe(referenceOnPage(unexpected));
    expect(await lastAttempt(t, tenant)).toMatchObject({ reason: 'unsigned', reference });
    expect(await logLineWith(reference)).toMatchObject({ reason: 'unsigned', res: { statusCode: 400 } });
  });

  it('at the ACS, when even the attempt cannot be recorded: still the page with a reference, and the log line', async () => {
    const restoreSessions = await failInserts('sessions');
    const restoreAttempts = await failInserts('login_attempts');
    let page: { status: number; text: string };
    try {
      const { samlResponse, relayState } = await signInResponse();
      page = await postToAcs(t, tenant, samlResponse, relayState);
    } finally {
      await restoreAttempts();
      await restoreSessions();
    }
    expect(page.status).toBe(500);
    const reference = referenceOnPage(page.text);
    expect(page.text).not.toContain(FAULT);
    expect(await logLineWith(reference)).toMatchObject({ reason: 'internal_error', res: { statusCode: 500 } });
    expect((await lastAttempt(t, tenant)).reference).not.toBe(reference);
  });

  it('on the JSON API: a 500 whose body and log line carry a reference, never the error itself', async () => {
    const restore = await failInserts('sso_audit_log');
    let answer: { status: number; body: Record<string, unknown>; text: string };
    try {
      answer = await t.http.patch(tenant.settingsPath).set(t.platform).send({ clockSkewSeconds: 90 });
    } finally {
      await restore();
    }
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ statusCode: 500, message: 'Internal server error', reference: expect.stringMatching(REFERENCE) });
    expect(answer.text).not.toContain(FAULT);
    expect(await logLineWith(answer.body.reference as string)).toMatchObject({ req: { path: tenant.settingsPath }, res: { statusCode: 500 } });
  });
});
