import { Module } from '@nestjs/common';
import { AccessGuard } from './access.guard';
import { CredentialsService } from './credentials.service';
import { ApiKeysController, TenancyController } from './tenancy.controller';
import { TenancyRepository } from './tenancy.repository';
import { TenancyService } from './tenancy.service';

@Module({
  controllers: [TenancyController, ApiKeysController],
  providers: [TenancyRepository, TenancyService, CredentialsService, AccessGuard],
  exports: [TenancyService, CredentialsService, AccessGuard],
})
export class TenancyModule {}
