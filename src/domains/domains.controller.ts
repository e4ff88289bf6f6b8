import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, CurrentTenant, OpenToSetupLinks, TenantRoute } from '../tenancy/access.decorators';
import type { Principal } from '../tenancy/principal';
import type { ResolvedTenant } from '../tenancy/tenancy.service';
import { ClaimDomainDto, DomainDto, VerifyDomainDto } from './dto/domains.dto';
import { DomainsService } from './domains.service';

@ApiTags('domains')
@ApiBearerAuth()
@ApiParam({ name: 'tenantKind', enum: ['organizations', 'partners'] })
@Controller('api/v1/:tenantKind/:id/domains')
@TenantRoute({ kindParam: 'tenantKind', idParam: 'id' })
@OpenToSetupLinks()
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  @Get()
  @ApiResponse({ status: 200, type: [DomainDto] })
  list(@CurrentTenant() tenant: ResolvedTenant): Promise<DomainDto[]> {
    return this.domains.list(tenant);
  }

  @Post()
  @ApiOperation({ summary: 'Claim a domain: answers the TXT record to publish (400 invalid_domain | public_email_domain, 409 domain_taken)' })
  @ApiResponse({ status: 201, type: DomainDto })
  claim(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Body() body: ClaimDomainDto): Promise<DomainDto> {
    return this.domains.claim(tenant, body.domain, principal);
  }

  @Post(':domain/verify')
  @ApiOperation({ summary: 'Look the TXT record up now: 200 verified, 422 with the reason' })
  @ApiResponse({ status: 200, type: DomainDto })
  @ApiResponse({ status: 422, type: DomainDto })
  async verify(
    @CurrentTenant() tenant: ResolvedTenant,
    @CurrentPrincipal() principal: Principal,
    @Param('domain') domain: string,
    @Body() body: VerifyDomainDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DomainDto> {
    const claim = await this.domains.verify(tenant, domain, body.method ?? 'dns', principal);
    response.status(claim.status === 'verified' ? 200 : 422);
    return claim;
  }

  @Delete(':domain')
  @HttpCode(204)
  async remove(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Param('domain') domain: string): Promise<void> {
    await this.domains.remove(tenant, domain, principal);
  }
}
