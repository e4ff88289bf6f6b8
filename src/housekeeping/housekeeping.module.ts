import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DomainsModule } from '../domains/domains.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { HousekeepingService } from './housekeeping.service';

/** When expired rows go (each module deletes its own, see PurgesRows), IdP metadata is refreshed and domains re-checked. */
@Module({ imports: [DiscoveryModule, SsoConfigModule, DomainsModule], providers: [HousekeepingService] })
export class HousekeepingModule {}
