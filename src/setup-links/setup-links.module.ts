import { Global, Module } from '@nestjs/common';
import { EntitiesModule } from '../database/entity-registry';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { SETUP_LINK_AUTHENTICATOR } from '../tenancy/principal';
import { TenancyModule } from '../tenancy/tenancy.module';
import { SetupLinkEntity, SetupLinkTokenEntity } from './setup-link.entities';
import { SetupLinkExchangeController, SetupLinksController } from './setup-links.controller';
import { SetupLinksRepository } from './setup-links.repository';
import { SetupLinksService } from './setup-links.service';

/** Global so the access guard (tenancy) can authenticate setup-link access tokens without importing this module. */
@Global()
@Module({
  imports: [EntitiesModule.forFeature([SetupLinkEntity, SetupLinkTokenEntity]), SsoConfigModule, TenancyModule],
  controllers: [SetupLinksController, SetupLinkExchangeController],
  providers: [SetupLinksRepository, SetupLinksService, { provide: SETUP_LINK_AUTHENTICATOR, useExisting: SetupLinksService }],
  exports: [SETUP_LINK_AUTHENTICATOR],
})
export class SetupLinksModule {}
