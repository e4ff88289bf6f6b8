import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { spUrls } from '../sso-config/sp/sp-urls';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { statusOf } from '../sso-config/sso-status';
import { DomainsService } from '../domains/domains.service';

export type Discovery = { sso: false } | { sso: true; enforced: boolean; loginUrl: string };

/** The portal's login page asks where a user of an email signs in, if anywhere. */
@Injectable()
export class DiscoveryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SsoConfigRepository,
    private readonly domains: DomainsService,
  ) {}

  async discover(email: string): Promise<Discovery> {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    // Only a domain proven in DNS routes anyone: a mere claim sends nobody to the claimant's IdP.
    const tenant = await this.domains.verifiedOwnerOf(domain);
    const config = tenant && (await this.repository.find(tenant));
    if (!tenant || !config || statusOf(config) !== 'active') return { sso: false };
    return { sso: true, enforced: config.enforceSso, loginUrl: spUrls(this.config.publicBaseUrl, tenant).loginUrl };
  }
}
