import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { TenantRef } from '../tenancy/tenant';
import { spUrls } from '../sso-config/sp/sp-urls';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { statusOf } from '../sso-config/sso-status';

export type Discovery = { sso: false } | { sso: true; enforced: boolean; loginUrl: string };

/** The portal's login page asks where a user of an email signs in, if anywhere. */
@Injectable()
export class DiscoveryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SsoConfigRepository,
  ) {}

  async discover(email: string): Promise<Discovery> {
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const config = await this.repository.findTenantByDomain(domain);
    if (!config || statusOf(config) !== 'active') return { sso: false };
    const tenant: TenantRef = { type: config.tenantType, id: config.tenantId };
    return { sso: true, enforced: config.enforceSso, loginUrl: spUrls(this.config.publicBaseUrl, tenant).loginUrl };
  }
}
