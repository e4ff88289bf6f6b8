import { Module } from '@nestjs/common';
import { EntitiesModule } from '../database/entity-registry';
import { ProvisioningService } from './provisioning.service';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** The users of both kinds of tenant: just-in-time provisioning and the users API. */
@Module({
  imports: [EntitiesModule.forFeature([UserEntity])],
  controllers: [UsersController],
  providers: [UsersRepository, ProvisioningService, UsersService],
  exports: [ProvisioningService, UsersService],
})
export class ProvisioningModule {}
