import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { loggingOptions } from './common/logging';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AccessGuard } from './tenancy/access.guard';
import { TenancyModule } from './tenancy/tenancy.module';
import { SsoSettingsModule } from './sso-settings/sso-settings.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { DomainsModule } from './domains/domains.module';
import { ProvisioningModule } from './provisioning/provisioning.module';
import { SamlModule } from './saml/saml.module';
import { SessionsModule } from './sessions/sessions.module';
import { ScimModule } from './scim/scim.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { SettingsPagesModule } from './admin/settings-pages.module';
import { SignInPagesModule } from './admin/sign-in-pages.module';
import { SetupLinksModule } from './setup-links/setup-links.module';
import { OAuthClientsModule } from './oidc/clients/oauth-clients.module';
import { OidcModule } from './oidc/oidc.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logStream?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggingOptions(config.logLevel, logStream, config.logFormat, config.nodeEnv)),
        ConfigModule.forRoot(config),
        // First of the modules with routes, so that Express's router reaches the login start and
        // the ACS (the hot path) before the API's and the pages' ~80 routes: about 30 µs a request.
        SamlModule,
        DatabaseModule,
        RateLimitModule,
        TenancyModule,
        SsoSettingsModule,
        DiscoveryModule,
        DomainsModule,
        SessionsModule,
        SetupLinksModule,
        ProvisioningModule,
        ScimModule,
        OidcModule,
        HousekeepingModule,
        SettingsPagesModule,
        SignInPagesModule,
        OAuthClientsModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
