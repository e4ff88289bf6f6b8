import { Module } from '@nestjs/common';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { PartnerSettingsController } from './partner-settings.controller';

@Module({ imports: [SsoConfigModule], controllers: [PartnerSettingsController] })
export class PartnerSettingsModule {}
