import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { PublicRoute } from '../tenancy/access.decorators';
import { SsoSettingsService } from '../sso-config/sso-settings.service';
import { DiscoverDto } from './dto/sso-settings.dto';

@ApiTags('sso')
@Controller('api/v1/sso')
export class DiscoveryController {
  constructor(private readonly settings: SsoSettingsService) {}

  @Post('discover')
  @HttpCode(200)
  @PublicRoute()
  @RateLimited('sso-discover')
  @ApiOperation({ summary: 'Where a user of this email signs in: {sso, enforced?, loginUrl?}' })
  discover(@Body() body: DiscoverDto) {
    return this.settings.discover(body.email);
  }
}
