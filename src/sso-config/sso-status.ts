import type { SsoStatus } from './sso-config.types';

/** `idp` is the stored IdP, or anything that is null exactly when it is (such as its certificates). */
export function statusOf(config: { enabled: boolean; idp: object | null }): SsoStatus {
  if (!config.enabled) return 'disabled';
  return config.idp ? 'active' : 'awaiting_idp';
}
