import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryService } from './discovery.service';

/** POST /api/v1/sso/discover: which tenant's SSO an email belongs to. */
@Module({ imports: [SsoConfigModule, DomainsModule], controllers: [DiscoveryController], providers: [DiscoveryService] })
export class DiscoveryModule {}
