import { Module } from '@nestjs/common';
import { EntitiesModule } from '../database/entity-registry';
import { AccessGuard } from './access.guard';
import { CredentialsService } from './credentials.service';
import { ApiKeysController, TenancyController } from './tenancy.controller';
import { ApiKeyEntity, OrganizationEntity, PartnerEntity } from './tenancy.entities';
import { TenancyRepository } from './tenancy.repository';
import { TenancyService } from './tenancy.service';

@Module({
  imports: [EntitiesModule.forFeature([PartnerEntity, OrganizationEntity, ApiKeyEntity])],
  controllers: [TenancyController, ApiKeysController],
  providers: [TenancyRepository, TenancyService, CredentialsService, AccessGuard],
  exports: [TenancyService, CredentialsService, AccessGuard],
})
export class TenancyModule {}
