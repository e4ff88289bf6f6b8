import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, OpenToSetupLinks, TenantRoute } from '../tenancy/access.decorators';
import type { Principal } from '../tenancy/principal';
import type { ResolvedTenant } from '../tenancy/tenancy.service';
import { CreatedScimTokenDto, CreateScimTokenDto, ScimRequestDto, ScimRequestsQueryDto, ScimTokenDto } from './dto/scim-tokens.dto';
import { ScimRequestsRepository } from './scim-requests.repository';
import { ScimTokensService } from './scim-tokens.service';

@ApiTags('scim')
@ApiBearerAuth()
@ApiParam({ name: 'tenantKind', enum: ['organizations', 'partners'] })
@Controller('api/v1/:tenantKind/:id/scim')
@TenantRoute({ kindParam: 'tenantKind', idParam: 'id' })
export class ScimTokensController {
  constructor(
    private readonly tokens: ScimTokensService,
    private readonly requests: ScimRequestsRepository,
  ) {}

  @Post('tokens')
  @OpenToSetupLinks()
  @ApiOperation({ summary: 'A SCIM bearer token for the IdP (shown once) and the SCIM base URL' })
  @ApiResponse({ status: 201, type: CreatedScimTokenDto })
  create(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Body() body: CreateScimTokenDto) {
    return this.tokens.create(tenant, body.name, principal);
  }

  @Get('tokens')
  @OpenToSetupLinks()
  @ApiResponse({ status: 200, type: [ScimTokenDto] })
  list(@CurrentTenant() tenant: ResolvedTenant): Promise<ScimTokenDto[]> {
    return this.tokens.list(tenant);
  }

  @Delete('tokens/:tokenId')
  @OpenToSetupLinks()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke: refused at once on every instance' })
  async revoke(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Param('tokenId') tokenId: string) {
    await this.tokens.revoke(tenant, tokenId, principal);
  }

  @Get('requests')
  @ApiOperation({ summary: 'The latest SCIM requests of this tenant (with one of its tokens, or refused with 401), newest first (an addition to the contract)' })
  @ApiResponse({ status: 200, type: [ScimRequestDto] })
  async latestRequests(@CurrentTenant() tenant: ResolvedTenant, @Query() query: ScimRequestsQueryDto): Promise<ScimRequestDto[]> {
    const rows = await this.requests.latest(tenant, query.limit ?? 20);
    return rows.map((row) => ({ ...row, outcome: row.status < 400 ? 'success' : 'failure' }));
  }
}
