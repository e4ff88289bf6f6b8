import { Module } from '@nestjs/common';
import { EntitiesModule } from '../database/entity-registry';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { DomainClaimEntity } from './domain-claim.entity';
import { DomainClaimsRepository } from './domain-claims.repository';
import { DomainsController } from './domains.controller';
import { DomainsService } from './domains.service';
import { TxtLookup } from './txt-lookup';

/** Claimed and verified email domains: the one answer to "which tenant owns this domain". */
@Module({
  imports: [EntitiesModule.forFeature([DomainClaimEntity]), SsoConfigModule, TenancyModule],
  controllers: [DomainsController],
  providers: [DomainsService, DomainClaimsRepository, TxtLookup],
  exports: [DomainsService],
})
export class DomainsModule {}
