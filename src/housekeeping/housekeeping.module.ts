import { Module } from '@nestjs/common';
import { SsoConfigModule } from '../sso-config/sso-config.module';
import { HousekeepingRepository } from './housekeeping.repository';
import { HousekeepingService } from './housekeeping.service';

@Module({ imports: [SsoConfigModule], providers: [HousekeepingRepository, HousekeepingService] })
export class HousekeepingModule {}
