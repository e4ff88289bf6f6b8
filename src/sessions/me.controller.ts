import { Controller, Get, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthenticatedRoute } from '../tenancy/access.decorators';
import { requestCredential } from '../common/request-credential';
import { SessionsService } from './sessions.service';

@ApiTags('session')
@Controller('api/v1')
export class MeController {
  constructor(private readonly sessions: SessionsService) {}

  @Get('me')
  @AuthenticatedRoute()
  @ApiOperation({ summary: 'The signed-in user (session cookie or Bearer session token); 401 otherwise' })
  async me(@Req() request: Request) {
    const session = await this.sessions.find(requestCredential(request));
    if (!session) throw new UnauthorizedException('Not signed in');
    const { userId, email, firstName, lastName, groups, role, tenantType, tenantId } = session;
    return { user: { id: userId, email, firstName, lastName, groups, role }, tenant: { type: tenantType, id: tenantId } };
  }
}
