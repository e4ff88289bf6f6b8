import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { HousekeepingRepository } from './housekeeping.repository';
import { HousekeepingService } from './housekeeping.service';

@Module({ imports: [SsoConfigModule, DomainsModule], providers: [HousekeepingRepository, HousekeepingService] })
export class HousekeepingModule {}
