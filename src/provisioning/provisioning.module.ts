import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EntitiesModule } from '../database/entity-registry';
import { DirectoryRoles } from './directory-roles';
import { DirectoryUsersRepository } from './directory-users.repository';
import { ProvisioningService } from './provisioning.service';
import { UserAccess } from './user-access';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** The users of both kinds of tenant: just-in-time provisioning, the users API and the writes of directory sync (SCIM). */
@Module({
  imports: [DiscoveryModule, EntitiesModule.forFeature([UserEntity])],
  controllers: [UsersController],
  providers: [UsersRepository, DirectoryUsersRepository, DirectoryRoles, ProvisioningService, UsersService, UserAccess],
  exports: [ProvisioningService, UsersService, DirectoryUsersRepository, DirectoryRoles, UserAccess],
})
export class ProvisioningModule {}
