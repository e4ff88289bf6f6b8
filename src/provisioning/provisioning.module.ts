import { Module } from '@nestjs/common';
import { EntitiesModule } from '../database/entity-registry';
import { DirectoryRoles } from './directory-roles';
import { DirectoryUsersRepository } from './directory-users.repository';
import { ProvisioningService } from './provisioning.service';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** The users of both kinds of tenant: just-in-time provisioning, the users API and the writes of directory sync (SCIM). */
@Module({
  imports: [EntitiesModule.forFeature([UserEntity])],
  controllers: [UsersController],
  providers: [UsersRepository, DirectoryUsersRepository, DirectoryRoles, ProvisioningService, UsersService],
  exports: [ProvisioningService, UsersService, DirectoryUsersRepository, DirectoryRoles],
})
export class ProvisioningModule {}
