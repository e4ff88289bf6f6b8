import type { SsoConfigEntity } from './sso-config.entities';
import type { SsoOptions } from './sso-config.types';

/** The tunable settings of a stored configuration (domains live in their own table). */
export function optionsOf(config: SsoConfigEntity): Omit<SsoOptions, 'domains'> {
  return {
    attributeMapping: config.attributeMapping,
    roleMapping: config.roleMapping,
    defaultRole: config.defaultRole,
    justInTimeProvisioning: config.justInTimeProvisioning,
    enforceSso: config.enforceSso,
    groupsOverrideRole: config.groupsOverrideRole,
    allowIdpInitiated: config.allowIdpInitiated,
    clockSkewSeconds: config.clockSkewSeconds,
    allowSha1Signatures: config.allowSha1Signatures,
    allowCbcEncryption: config.allowCbcEncryption,
    allowedEmailDomains: config.allowedEmailDomains,
  };
}
