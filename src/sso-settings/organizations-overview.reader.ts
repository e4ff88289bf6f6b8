import { Injectable } from '@nestjs/common';
import { describeCertificate } from '../sso-config/idp/certificate';
import { SsoConfigRepository, SsoSummaryRow } from '../sso-config/sso-config.repository';
import { statusOf } from '../sso-config/sso-status';
import { TenancyService } from '../tenancy/tenancy.service';
import { DEFAULT_OVERVIEW_LIMIT, OrganizationSsoSummaryDto, OrganizationsOverviewPageDto } from './dto/organizations-overview.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A partner's organizations with each one's SSO at a glance. It lives here, not in tenancy, because
 * tenancy must not depend on sso-config; it costs three statements whatever the page size (the
 * page, its count, and one summary of the page's organizations).
 */
@Injectable()
export class OrganizationsOverviewReader {
  constructor(
    private readonly tenancy: TenancyService,
    private readonly ssoConfigs: SsoConfigRepository,
  ) {}

  async overview(
    partnerId: string,
    { search, limit = DEFAULT_OVERVIEW_LIMIT, offset = 0 }: { search?: string; limit?: number; offset?: number },
  ): Promise<OrganizationsOverviewPageDto> {
    const now = new Date();
    const { organizations, total } = await this.tenancy.searchOrganizationsOfPartner(partnerId, { search, limit, offset });
    const rows = await this.ssoConfigs.summarize(
      'organization',
      organizations.map((organization) => organization.id),
      new Date(now.getTime() - DAY_MS),
    );
    const summaries = new Map(rows.map((row) => [row.tenantId, summaryOf(row, now)]));
    return {
      items: organizations.map(({ id, name, createdAt }) => ({ id, name, partnerId, createdAt, sso: summaries.get(id)! })),
      total,
      limit,
      offset,
    };
  }
}

function summaryOf(row: SsoSummaryRow, now: Date): OrganizationSsoSummaryDto {
  const status = row.enabled === null ? 'off' : statusOf({ enabled: row.enabled, idp: row.idpCertificates });
  return {
    status,
    enforced: status === 'active' && row.enforceSso === true,
    lastSuccessfulSignInAt: row.lastSuccessfulSignInAt ? new Date(row.lastSuccessfulSignInAt).toISOString() : null,
    certificatesExpiringSoon: (row.idpCertificates ?? []).filter((pem) => describeCertificate(pem, now).expiresSoon).length,
    failedSignInsLastDay: row.failedSignInsSince,
  };
}
