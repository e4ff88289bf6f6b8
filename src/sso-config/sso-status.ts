import type { SsoConfigEntity } from './sso-config.entities';
import type { SsoStatus } from './sso-config.types';

export function statusOf(config: Pick<SsoConfigEntity, 'enabled' | 'idp'>): SsoStatus {
  if (!config.enabled) return 'disabled';
  return config.idp ? 'active' : 'awaiting_idp';
}
