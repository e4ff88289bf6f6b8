import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { OAuthClientsModule } from './clients/oauth-clients.module';
import { InteractionService } from './interaction.service';
import { JwtAccessTokensService } from './jwt-access-tokens.service';
import { OidcAccountsService } from './oidc-accounts.service';
import { OidcPayloadsRepository } from './oidc-payloads.repository';
import { OidcProviderService } from './oidc-provider.service';
import { OidcController } from './oidc.controller';
import { RequestedTenantResolver } from './requested-tenant';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysRepository } from './signing-keys.repository';
import { SigningKeysService } from './signing-keys.service';

/**
 * The OpenID Connect provider for the platform's apps (oidc-provider inside Nest), in front of
 * every tenant's SAML IdP. Writes oidc_payloads and oidc_signing_keys; clients are OAuthClientsModule's.
 */
@Module({
  // SsoConfigModule for the SecretBox that seals the signing keys and for the tenants' SSO status.
  imports: [OAuthClientsModule, SsoConfigModule, DomainsModule, TenancyModule, ProvisioningModule],
  controllers: [SigningKeysController, OidcController],
  providers: [
    OidcPayloadsRepository,
    SigningKeysRepository,
    SigningKeysService,
    OidcAccountsService,
    RequestedTenantResolver,
    OidcProviderService,
    InteractionService,
    JwtAccessTokensService,
  ],
})
export class OidcModule {}
