import { Database } from '../../src/database/database.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import {
  addUnsignedAssertion,
  ATTACKER_NAME_ID,
  injectCommentInNameId,
  resignWithAttackerKey,
  stripSignatures,
  tamperNameId,
  withEntityDeclaration,
  xsw,
  XswVariant,
} from '../helpers/saml-attacks';
import { createTestResponse, TestResponse } from '../helpers/test-idp';
import { countSessions, createSsoTenant, lastAttempt, postToAcs, sessionCookieOf, SsoTenant } from '../helpers/sso-tenant';

/**
 * Forged and misdirected responses over HTTP, as an attacker would post them: each is refused with
 * a 4xx page naming its reason, the reason is recorded as a login attempt, and no session is made.
 */
describe('the ACS against forged responses', () => {
  let t: TestApp;
  let tenant: SsoTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createSsoTenant(t, 'partner');
  });
  afterAll(() => t.close());

  const signed = (sign: 'assertion' | 'response' | 'both', extra: Parameters<typeof createTestResponse>[0] = {}) =>
    createTestResponse({ audiences: [[tenant.spEntityId]], recipient: tenant.acsUrl, destination: tenant.acsUrl, sign, ...extra });

  async function expectRefused(forged: TestResponse, reasons: string[]): Promise<void> {
    const before = await countSessions(t, tenant);
    const response = await postToAcs(t, tenant, forged.base64);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(sessionCookieOf(response)).toBeNull();
    expect(await countSessions(t, tenant)).toBe(before);
    const attempt = await lastAttempt(t, tenant);
    expect(attempt.outcome).toBe('failure');
    expect(reasons).toContain(attempt.reason);
    expect(response.text).toContain(attempt.reason);
  }

  const WRAPPING_REASONS = ['invalid_signature', 'multiple_assertions', 'duplicate_id', 'unsigned', 'missing_assertion', 'not_a_response'];

  it.each([1, 2] as XswVariant[])('refuses signature wrapping XSW%i on a signed Response', async (variant) => {
    await expectRefused(xsw(variant, (await signed('response')).xml), WRAPPING_REASONS);
  });

  it.each([3, 4, 5, 6, 7, 8] as XswVariant[])('refuses signature wrapping XSW%i on a signed assertion', async (variant) => {
    await expectRefused(xsw(variant, (await signed('assertion')).xml), WRAPPING_REASONS);
  });

  it('refuses a response whose signatures were stripped', async () => {
    await expectRefused(stripSignatures((await signed('both')).xml), ['unsigned']);
  });

  it('refuses a NameID changed after signing', async () => {
    await expectRefused(tamperNameId((await signed('assertion')).xml), ['invalid_signature']);
  });

  it('refuses an unsigned assertion added beside the signed one', async () => {
    await expectRefused(addUnsignedAssertion((await signed('assertion')).xml, 'before'), ['multiple_assertions']);
    await expectRefused(addUnsignedAssertion((await signed('both')).xml, 'after'), ['multiple_assertions']);
  });

  it('refuses an assertion re-signed with the certificate carried in KeyInfo', async () => {
    await expectRefused(resignWithAttackerKey((await signed('assertion')).xml), ['untrusted_certificate']);
  });

  it('refuses a DOCTYPE declaring entities', async () => {
    await expectRefused(withEntityDeclaration((await signed('assertion')).xml), ['doctype_not_allowed']);
  });

  it('refuses a not-yet-valid assertion beyond the clock skew', async () => {
    await expectRefused(await signed('assertion', { now: new Date(Date.now() + 10 * 60_000) }), ['not_yet_valid']);
  });

  it('reads a comment-split NameID and User.Email in full, never as the shorter victim address', async () => {
    const victim = 'admin@victim.example';
    const attackerOwned = `${victim}.attacker.example`;
    const forged = injectCommentInNameId(
      (await signed('assertion', { nameId: attackerOwned, attributes: { 'User.FirstName': 'Eve' } })).xml,
      victim,
    );
    const response = await postToAcs(t, tenant, forged.base64).expect(302);
    const me = await t.http.get('/api/v1/me').set('Cookie', sessionCookieOf(response)!).expect(200);
    expect(me.body.user.email).toBe(attackerOwned);
    const emailSplit = (await signed('assertion', { attributes: { 'User.Email': attackerOwned } })).xml.replace(
      `>${attackerOwned}<`,
      `>${victim}<!---->.attacker.example<`,
    );
    expect(emailSplit).toContain('<!---->');
    const second = await postToAcs(t, tenant, Buffer.from(emailSplit).toString('base64')).expect(302);
    const secondMe = await t.http.get('/api/v1/me').set('Cookie', sessionCookieOf(second)!).expect(200);
    expect(secondMe.body.user.email).toBe(attackerOwned);
    const victims = await t.app
      .get(Database)
      .manager.query(`SELECT 1 FROM users WHERE email_normalized IN ($1, $2)`, [victim, ATTACKER_NAME_ID]);
    expect(victims).toEqual([]);
  });
});
