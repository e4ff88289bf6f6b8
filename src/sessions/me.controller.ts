import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedRoute } from '../tenancy/access.decorators';
import { requestCredential } from '../common/request-credential';
import { TenancyService } from '../tenancy/tenancy.service';
import { SessionsService } from './sessions.service';

@ApiTags('session')
@Controller('api/v1')
export class MeController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly tenancy: TenancyService,
  ) {}

  @Get('me')
  @AuthenticatedRoute()
  @ApiOperation({ summary: "The signed-in user and their tenant (with its name) (session cookie or Bearer session token); 401 otherwise" })
  async me(@Req() request: Request) {
    const session = await this.sessions.find(requestCredential(request));
    if (!session) throw new UnauthorizedException('Not signed in');
    const { userId, email, firstName, lastName, groups, role, tenantType, tenantId } = session;
    const name = await this.tenancy.tenantName({ type: tenantType, id: tenantId });
    return { user: { id: userId, email, firstName, lastName, groups, role }, tenant: { type: tenantType, id: tenantId, name } };
  }
}
