import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { SCIM_TOKEN_AUTHENTICATOR } from '../tenancy/principal';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ScimController } from './scim.controller';
import { ScimGroupsRepository } from './scim-groups.repository';
import { ScimGroupsService } from './scim-groups.service';
import { ScimContextFactory, ScimRequestLogMiddleware } from './scim-http';
import { ScimMemberships } from './scim-memberships';
import { ScimRequestsRepository } from './scim-requests.repository';
import { ScimTokensController } from './scim-tokens.controller';
import { ScimTokensRepository } from './scim-tokens.repository';
import { ScimTokensService } from './scim-tokens.service';
import { ScimUsersService } from './scim-users.service';

/**
 * Directory sync: SCIM 2.0 per tenant (tokens, Users, Groups, groups to roles, deprovisioning).
 * Global so the access guard (tenancy) can check SCIM tokens without importing this module.
 */
@Global()
@Module({
  imports: [ProvisioningModule, SsoConfigModule, TenancyModule],
  controllers: [ScimTokensController, ScimController],
  providers: [
    ScimTokensRepository,
    ScimTokensService,
    ScimRequestsRepository,
    ScimGroupsRepository,
    ScimMemberships,
    ScimUsersService,
    ScimGroupsService,
    ScimContextFactory,
    { provide: SCIM_TOKEN_AUTHENTICATOR, useExisting: ScimTokensService },
  ],
  exports: [SCIM_TOKEN_AUTHENTICATOR],
})
export class ScimModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ScimRequestLogMiddleware).forRoutes(ScimController);
  }
}
