import type { RoleMappingEntry } from '../sso-config/sso-config.types';

export type SettingsWarningCode =
  | 'enforcement_without_verified_domain'
  | 'enforcement_before_successful_sign_in'
  | 'allowed_email_domains_exclude_verified_domain'
  | 'group_mapped_to_two_roles'
  | 'certificate_expiring'
  | 'metadata_refresh_failed';

export interface SettingsWarning {
  code: SettingsWarningCode;
  message: string;
}

export interface WarningInput {
  enforceSso: boolean;
  verifiedDomains: string[];
  lastSuccessfulSignInAt: Date | null;
  allowedEmailDomains: string[];
  roleMapping: RoleMappingEntry[];
  certificates: { subject: string; notAfter: string; expiresSoon: boolean }[];
  refreshError: string | null;
}

/**
 * Settings the API accepts (scripts know what they do) but that are likely wrong: each is named,
 * with a sentence for the admin, in the settings answer and on the pages.
 */
export function settingsWarnings(input: WarningInput): SettingsWarning[] {
  const warnings: SettingsWarning[] = [];
  if (input.enforceSso && input.verifiedDomains.length === 0) {
    warnings.push({
      code: 'enforcement_without_verified_domain',
      message: 'SSO is enforced, but no domain is verified yet, so nobody is sent to the identity provider. Verify a domain to make enforcement work.',
    });
  }
  if (input.enforceSso && input.lastSuccessfulSignInAt === null) {
    warnings.push({
      code: 'enforcement_before_successful_sign_in',
      message: 'SSO is enforced, but nobody has signed in successfully with the current identity provider configuration. Run a test sign-in before relying on it.',
    });
  }
  if (input.allowedEmailDomains.length > 0) {
    const excluded = input.verifiedDomains.filter((domain) => !input.allowedEmailDomains.includes(domain));
    if (excluded.length > 0) {
      warnings.push({
        code: 'allowed_email_domains_exclude_verified_domain',
        message: `The allowed email domains do not include ${excluded.join(', ')}: users of that verified domain are sent to the identity provider and then refused.`,
      });
    }
  }
  const rolesByGroup = new Map<string, Set<string>>();
  for (const { group, role } of input.roleMapping) {
    const roles = rolesByGroup.get(group) ?? new Set<string>();
    rolesByGroup.set(group, roles.add(role));
  }
  for (const [group, roles] of rolesByGroup) {
    if (roles.size > 1) {
      warnings.push({
        code: 'group_mapped_to_two_roles',
        message: `The group "${group}" is mapped to ${[...roles].join(' and ')}; its members get the highest of them.`,
      });
    }
  }
  for (const certificate of input.certificates.filter((c) => c.expiresSoon)) {
    warnings.push({
      code: 'certificate_expiring',
      message: `The identity provider's certificate "${certificate.subject}" expires on ${certificate.notAfter.slice(0, 10)}. Upload its new metadata before then, or sign-ins will fail.`,
    });
  }
  if (input.refreshError !== null) {
    warnings.push({
      code: 'metadata_refresh_failed',
      message: "The identity provider's metadata URL could not be read at the last refresh; the configuration from the last successful read is still in use.",
    });
  }
  return warnings;
}
