import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { keyIdOf, SecretBox } from './sp/secret-box';
import { SsoConfigChangeNotifier } from './sso-config-change.notifier';
import { SsoConfigRepository } from './sso-config.repository';
import { SsoSettingsService } from './sso-settings.service';

/** THE store of per-tenant SSO configuration, used by both settings modules and by the SAML module. */
@Module({
  providers: [
    SsoConfigRepository,
    SsoSettingsService,
    SsoConfigChangeNotifier,
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox([{ id: keyIdOf(config.encryptionKey), key: config.encryptionKey }]),
    },
  ],
  exports: [SsoConfigRepository, SsoSettingsService, SsoConfigChangeNotifier, SecretBox],
})
export class SsoConfigModule {}
