import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { TenancyModule } from '../tenancy/tenancy.module';
import { OrganizationsOverviewController } from './organizations-overview.controller';
import { OrganizationsOverviewReader } from './organizations-overview.reader';
import { SsoSettingsChangeService } from './sso-settings-change.service';
import { SsoSettingsController } from './sso-settings.controller';
import { SsoSettingsReader } from './sso-settings.reader';

/** Settings > SSO of the client portal (organizations) and of the partner portal (partners, with their organizations' overview). */
@Module({
  imports: [SsoConfigModule, DomainsModule, TenancyModule, ProvisioningModule],
  controllers: [SsoSettingsController, OrganizationsOverviewController],
  providers: [SsoSettingsReader, SsoSettingsChangeService, OrganizationsOverviewReader],
})
export class SsoSettingsModule {}
