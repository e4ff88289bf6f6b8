import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { CurrentPrincipal, CurrentTenant, PublicRoute, TenantRoute } from '../tenancy/access.decorators';
import type { Principal } from '../tenancy/principal';
import type { ResolvedTenant } from '../tenancy/tenancy.service';
import { CreatedSetupLinkDto, CreateSetupLinkDto, ExchangeSetupLinkDto, SetupLinkDto, SetupLinkSessionDto } from './dto/setup-links.dto';
import { SetupLinksService } from './setup-links.service';

@ApiTags('setup links')
@ApiBearerAuth()
@ApiParam({ name: 'tenantKind', enum: ['organizations', 'partners'] })
@Controller('api/v1/:tenantKind/:id/setup-links')
@TenantRoute({ kindParam: 'tenantKind', idParam: 'id' })
export class SetupLinksController {
  constructor(private readonly links: SetupLinksService) {}

  @Post()
  @ApiOperation({ summary: 'A link that hands the SSO set-up to the IdP admin; the URL is shown once (400 lifetime_out_of_range)' })
  @ApiResponse({ status: 201, type: CreatedSetupLinkDto })
  create(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Body() body: CreateSetupLinkDto): Promise<CreatedSetupLinkDto> {
    return this.links.create(tenant, body.expiresInHours, principal);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant\'s setup links, newest first (expired ones until housekeeping removes them)' })
  @ApiResponse({ status: 200, type: [SetupLinkDto] })
  list(@CurrentTenant() tenant: ResolvedTenant): Promise<SetupLinkDto[]> {
    return this.links.list(tenant);
  }

  @Delete(':linkId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the link; its access tokens are refused at once' })
  async revoke(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Param('linkId') linkId: string): Promise<void> {
    await this.links.revoke(tenant, linkId, principal);
  }
}

@ApiTags('setup links')
@Controller('api/v1/setup-links')
export class SetupLinkExchangeController {
  constructor(private readonly links: SetupLinksService) {}

  @Post('exchange')
  @HttpCode(200)
  @PublicRoute()
  @RateLimited('setup-link-exchange')
  @ApiOperation({ summary: 'The link\'s token for an access token (401 code link_unknown | link_expired | link_revoked)' })
  @ApiResponse({ status: 200, type: SetupLinkSessionDto })
  exchange(@Body() body: ExchangeSetupLinkDto): Promise<SetupLinkSessionDto> {
    return this.links.exchange(body.token);
  }
}
