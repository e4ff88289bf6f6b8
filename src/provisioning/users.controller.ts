import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, TenantRoute } from '../tenancy/access.decorators';
import type { ResolvedTenant } from '../tenancy/tenancy.service';
import { ListUsersQueryDto, UpdateUserDto, UserDto, UserPageDto } from './dto/users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiParam({ name: 'tenantKind', enum: ['organizations', 'partners'] })
@Controller('api/v1/:tenantKind/:id/users')
@TenantRoute({ kindParam: 'tenantKind', idParam: 'id' })
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@CurrentTenant() tenant: ResolvedTenant, @Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return this.users.list(tenant, query.page ?? 1, query.limit ?? 50);
  }

  @Get(':userId')
  get(@CurrentTenant() tenant: ResolvedTenant, @Param('userId') userId: string): Promise<UserDto> {
    return this.users.get(tenant, userId);
  }

  @Patch(':userId')
  setRole(@CurrentTenant() tenant: ResolvedTenant, @Param('userId') userId: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return this.users.setRole(tenant, userId, body.role);
  }

  @Post(':userId/deactivate')
  @HttpCode(200)
  deactivate(@CurrentTenant() tenant: ResolvedTenant, @Param('userId') userId: string): Promise<UserDto> {
    return this.users.setActive(tenant, userId, false);
  }

  @Post(':userId/activate')
  @HttpCode(200)
  activate(@CurrentTenant() tenant: ResolvedTenant, @Param('userId') userId: string): Promise<UserDto> {
    return this.users.setActive(tenant, userId, true);
  }
}
