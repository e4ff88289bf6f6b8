import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EntitiesModule } from '../database/entity-registry';
import { IdpImportService } from './idp/idp-import.service';
import { keyIdOf, SecretBox } from './sp/secret-box';
import { SpIdentityIssuer } from './sp/sp-identity.issuer';
import { SsoConfigChangeNotifier } from './sso-config-change.notifier';
import { LoginAttemptEntity, SsoAuditEntryEntity, SsoConfigEntity } from './sso-config.entities';
import { SsoConfigRepository } from './sso-config.repository';
import { SsoConfigWriter } from './sso-config.writer';

/**
 * THE store of per-tenant SSO configuration, used by the settings, discovery, SAML and
 * housekeeping modules. It knows no HTTP route.
 */
@Module({
  imports: [EntitiesModule.forFeature([SsoConfigEntity, SsoAuditEntryEntity, LoginAttemptEntity])],
  providers: [
    SsoConfigRepository,
    SsoConfigWriter,
    SpIdentityIssuer,
    IdpImportService,
    SsoConfigChangeNotifier,
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox([{ id: keyIdOf(config.encryptionKey), key: config.encryptionKey }]),
    },
  ],
  exports: [SsoConfigRepository, SsoConfigWriter, IdpImportService, SsoConfigChangeNotifier, SecretBox],
})
export class SsoConfigModule {}
