import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ORGANIZATIONS_PAGE, OrganizationSearchQueryDto } from '../../tenancy/dto/tenancy.dto';

export const OVERVIEW_STATUSES = ['off', 'awaiting_idp', 'active', 'disabled'] as const;
export type OverviewStatus = (typeof OVERVIEW_STATUSES)[number];

export const DEFAULT_OVERVIEW_LIMIT = 25;

/** The same `?search=&limit=&offset=` as the partner's organizations, but always a page: limit defaults to 25. */
export class OrganizationsOverviewQueryDto extends OrganizationSearchQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ORGANIZATIONS_PAGE, default: DEFAULT_OVERVIEW_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ORGANIZATIONS_PAGE)
  declare limit?: number;
}

export class OrganizationSsoSummaryDto {
  @ApiProperty({ enum: OVERVIEW_STATUSES, description: '`off`: SSO was never enabled (or was removed); else the Settings status' })
  status!: OverviewStatus;
  @ApiProperty({ description: 'Active, with enforceSso on' }) enforced!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'As in Settings: since the current IdP configuration' })
  lastSuccessfulSignInAt!: string | null;
  @ApiProperty({ description: 'IdP signing certificates that expire within 30 days or have expired' })
  certificatesExpiringSoon!: number;
  @ApiProperty({ description: 'Refused sign-ins in the last 24 hours' }) failedSignInsLastDay!: number;
}

export class OrganizationOverviewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) partnerId!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: OrganizationSsoSummaryDto }) sso!: OrganizationSsoSummaryDto;
}

export class OrganizationsOverviewPageDto {
  @ApiProperty({ type: [OrganizationOverviewDto] }) items!: OrganizationOverviewDto[];
  @ApiProperty({ description: 'How many organizations match the search' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
