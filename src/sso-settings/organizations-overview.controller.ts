import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, TenantRoute } from '../tenancy/access.decorators';
import type { ResolvedTenant } from '../tenancy/tenancy.service';
import { OrganizationsOverviewPageDto, OrganizationsOverviewQueryDto } from './dto/organizations-overview.dto';
import { OrganizationsOverviewReader } from './organizations-overview.reader';

/** The partner portal's list of its organizations, each with its SSO at a glance. */
@ApiTags('SSO settings')
@ApiBearerAuth()
@Controller('api/v1/partners/:partnerId/organizations/sso-overview')
@TenantRoute({ type: 'partner', idParam: 'partnerId' })
export class OrganizationsOverviewController {
  constructor(private readonly reader: OrganizationsOverviewReader) {}

  @Get()
  @ApiOperation({ summary: "A page of the partner's organizations by name, each with its SSO status, recent sign-ins and expiring certificates" })
  @ApiOkResponse({ type: OrganizationsOverviewPageDto })
  overview(@CurrentTenant() partner: ResolvedTenant, @Query() query: OrganizationsOverviewQueryDto): Promise<OrganizationsOverviewPageDto> {
    return this.reader.overview(partner.id, query);
  }
}
