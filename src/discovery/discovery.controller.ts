import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { PublicRoute } from '../tenancy/access.decorators';
import { DiscoveryService } from './discovery.service';
import { DiscoverDto } from './dto/discover.dto';

@ApiTags('sso')
@Controller('api/v1/sso')
export class DiscoveryController {
  constructor(private readonly discovery: DiscoveryService) {}

  @Post('discover')
  @HttpCode(200)
  @PublicRoute()
  @RateLimited('sso-discover')
  @ApiOperation({ summary: 'Where a user of this email signs in: {sso, enforced?, loginUrl?}' })
  discover(@Body() body: DiscoverDto) {
    return this.discovery.discover(body.email);
  }
}
