import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { SsoSettingsChangeService } from './sso-settings-change.service';
import { SsoSettingsController } from './sso-settings.controller';
import { SsoSettingsReader } from './sso-settings.reader';

/** Settings > SSO of the client portal (organizations) and of the partner portal (partners). */
@Module({
  imports: [SsoConfigModule, DomainsModule],
  controllers: [SsoSettingsController],
  providers: [SsoSettingsReader, SsoSettingsChangeService],
})
export class SsoSettingsModule {}
