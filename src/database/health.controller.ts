import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../tenancy/access.decorators';
import { Database } from './database.service';

@ApiTags('health')
@Controller('health')
@PublicRoute()
export class HealthController {
  constructor(private readonly database: Database) {}

  @Get()
  @ApiOperation({ summary: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'The database answers (503 otherwise)' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<{ status: 'ready' | 'unavailable' }> {
    if (await this.database.ping()) return { status: 'ready' };
    response.status(503).setHeader('Retry-After', '5');
    return { status: 'unavailable' };
  }
}
