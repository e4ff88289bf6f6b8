import { settingsWarnings, WarningInput } from './settings-warnings';

const calm: WarningInput = {
  enforceSso: false,
  verifiedDomains: ['acme.com'],
  lastSuccessfulSignInAt: new Date('2026-12-01T00:00:00Z'),
  allowedEmailDomains: [],
  roleMapping: [{ group: 'admins', role: 'admin' }],
  certificates: [{ subject: 'CN=idp', notAfter: '2030-01-01T00:00:00Z', expiresSoon: false }],
  refreshError: null,
};
const codes = (input: Partial<WarningInput>) => settingsWarnings({ ...calm, ...input }).map((warning) => warning.code);

describe('settingsWarnings', () => {
  it('says nothing of sound settings, enforced or not', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ enforceSso: true })).toEqual([]);
  });

  it('warns of enforcement without a verified domain, and before any successful sign-in', () => {
    expect(codes({ enforceSso: true, verifiedDomains: [] })).toEqual(['enforcement_without_verified_domain']);
    expect(codes({ enforceSso: true, lastSuccessfulSignInAt: null })).toEqual(['enforcement_before_successful_sign_in']);
    expect(codes({ enforceSso: false, verifiedDomains: [], lastSuccessfulSignInAt: null })).toEqual([]);
  });

  it('warns when the allowed email domains leave out a verified domain', () => {
    expect(codes({ allowedEmailDomains: ['other.com'] })).toEqual(['allowed_email_domains_exclude_verified_domain']);
    expect(codes({ allowedEmailDomains: ['acme.com', 'other.com'] })).toEqual([]);
  });

  it('warns of a group mapped to two roles, not of two groups mapped to one', () => {
    const warnings = settingsWarnings({ ...calm, roleMapping: [{ group: 'ops', role: 'admin' }, { group: 'ops', role: 'viewer' }] });
    expect(warnings).toEqual([{ code: 'group_mapped_to_two_roles', message: expect.stringContaining('"ops"') }]);
    expect(codes({ roleMapping: [{ group: 'a', role: 'admin' }, { group: 'b', role: 'admin' }, { group: 'a', role: 'admin' }] })).toEqual([]);
  });

  it('warns of a certificate expiring soon and of a failed metadata refresh', () => {
    expect(codes({ certificates: [{ subject: 'CN=old', notAfter: '2026-12-20T00:00:00Z', expiresSoon: true }] })).toEqual(['certificate_expiring']);
    expect(codes({ refreshError: '2026-12-01T00:00:00Z: connection refused' })).toEqual(['metadata_refresh_failed']);
  });
});
