import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentTenant, PlatformRoute, TenantRoute } from './access.decorators';
import {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateOrganizationDto,
  CreatePartnerDto,
  OrganizationDto,
  OrganizationSearchQueryDto,
  PartnerDto,
} from './dto/tenancy.dto';
import { ResolvedTenant, TenancyService } from './tenancy.service';
import { OrganizationEntity, PartnerEntity } from './tenancy.entities';

const toPartner = ({ id, name, createdAt }: PartnerEntity): PartnerDto => ({ id, name, createdAt });
const toOrganization = ({ id, name, partnerId, createdAt }: OrganizationEntity): OrganizationDto => ({
  id,
  name,
  partnerId,
  createdAt,
});

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('api/v1')
export class TenancyController {
  constructor(private readonly tenancy: TenancyService) {}

  @Post('partners')
  @PlatformRoute()
  async createPartner(@Body() body: CreatePartnerDto): Promise<PartnerDto> {
    return toPartner(await this.tenancy.createPartner(body.name));
  }

  @Post('organizations')
  @PlatformRoute()
  async createOrganization(@Body() body: CreateOrganizationDto): Promise<OrganizationDto> {
    return toOrganization(await this.tenancy.createOrganization(body.name, body.partnerId?.toLowerCase() ?? null));
  }

  @Get('partners/:id')
  @TenantRoute({ type: 'partner', idParam: 'id' })
  async getPartner(@CurrentTenant() tenant: ResolvedTenant): Promise<PartnerDto> {
    return toPartner(await this.tenancy.getPartner(tenant.id));
  }

  @Get('organizations/:id')
  @TenantRoute({ type: 'organization', idParam: 'id' })
  async getOrganization(@CurrentTenant() tenant: ResolvedTenant): Promise<OrganizationDto> {
    return toOrganization(await this.tenancy.getOrganization(tenant.id));
  }

  @Get('partners/:id/organizations')
  @TenantRoute({ type: 'partner', idParam: 'id' })
  @ApiOperation({
    summary: "The partner's organizations: all of them by creation, or with search, limit or offset a page by name",
  })
  @ApiOkResponse({ type: [OrganizationDto], headers: { 'X-Total-Count': { description: 'How many organizations match the search' } } })
  async listOrganizations(
    @CurrentTenant() tenant: ResolvedTenant,
    @Query() query: OrganizationSearchQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrganizationDto[]> {
    const paged = query.search !== undefined || query.limit !== undefined || query.offset !== undefined;
    if (!paged) return (await this.tenancy.listOrganizationsOfPartner(tenant.id)).map(toOrganization);
    const { organizations, total } = await this.tenancy.searchOrganizationsOfPartner(tenant.id, query);
    response.setHeader('X-Total-Count', String(total));
    return organizations.map(toOrganization);
  }
}

@ApiTags('api keys')
@ApiBearerAuth()
@ApiParam({ name: 'tenantKind', enum: ['organizations', 'partners'] })
@Controller('api/v1/:tenantKind/:id/api-keys')
@TenantRoute({ kindParam: 'tenantKind', idParam: 'id' })
export class ApiKeysController {
  constructor(private readonly tenancy: TenancyService) {}

  @Post()
  createApiKey(@CurrentTenant() tenant: ResolvedTenant, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.tenancy.createApiKey(tenant, body.name);
  }

  @Get()
  async listApiKeys(@CurrentTenant() tenant: ResolvedTenant): Promise<ApiKeyDto[]> {
    return (await this.tenancy.listApiKeys(tenant)).map(({ id, name, createdAt, lastUsedAt }) => ({
      id,
      name,
      createdAt,
      lastUsedAt,
    }));
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revokeApiKey(@CurrentTenant() tenant: ResolvedTenant, @Param('keyId') keyId: string): Promise<void> {
    await this.tenancy.revokeApiKey(tenant, keyId);
  }
}
