import { Module } from '@nestjs/common';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { OrganizationSettingsController } from './organization-settings.controller';

@Module({ imports: [SsoConfigModule], controllers: [OrganizationSettingsController] })
export class OrganizationSettingsModule {}
