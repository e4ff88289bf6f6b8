import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, CurrentTenant, OpenToSetupLinks, TenantRoute } from '../tenancy/access.decorators';
import type { Principal } from '../tenancy/principal';
import type { ResolvedTenant } from '../tenancy/tenancy.service';
import type { IdentityProviderInput } from '../sso-config/idp/idp-import.service';
import type { SsoSettings } from '../sso-config/sso-config.types';
import { IdentityProviderDto, LimitQueryDto, LoginAttemptsQueryDto, UpdateSsoSettingsDto } from './dto/sso-settings.dto';
import { SsoSettingsChangeService } from './sso-settings-change.service';
import { SsoSettingsReader } from './sso-settings.reader';

const DEFAULT_LIMIT = 50;

/**
 * Settings > SSO of both portals: one controller under the two paths of the contract, the tenant
 * resolved by the access guard from whichever of the two it was called under. A setup link's token
 * may read, enable, set the IdP, change the mapping and domains, and read the sign-in attempts (the
 * test sign-in's result); disabling, deleting and the audit log stay with the tenant's admins.
 */
@ApiTags('SSO settings')
@ApiBearerAuth()
@Controller(['api/v1/organizations/:orgId/sso', 'api/v1/partners/:partnerId/sso'])
@TenantRoute({ idParamOf: { organization: 'orgId', partner: 'partnerId' } })
export class SsoSettingsController {
  constructor(
    private readonly reader: SsoSettingsReader,
    private readonly changes: SsoSettingsChangeService,
  ) {}

  @OpenToSetupLinks()
  @Get()
  @ApiOperation({ summary: 'The settings (404 when SSO was never enabled); ETag for If-Match' })
  async get(@CurrentTenant() tenant: ResolvedTenant, @Res({ passthrough: true }) response: Response) {
    return withEtag(response, await this.reader.get(tenant));
  }

  @OpenToSetupLinks()
  @Post('enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable SSO (idempotent; the first call creates the SP identity)' })
  async enable(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    return withEtag(response, await this.changes.enable(tenant, principal));
  }

  @Post('disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable SSO, keeping the configuration; logins stop' })
  async disable(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    return withEtag(response, await this.changes.disable(tenant, principal));
  }

  @OpenToSetupLinks()
  @Put('identity-provider')
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOperation({ summary: 'Set the IdP from metadata XML, a metadata URL, or entityId + ssoUrl + certificate' })
  async setIdentityProvider(
    @CurrentTenant() tenant: ResolvedTenant,
    @CurrentPrincipal() principal: Principal,
    @Body() body: IdentityProviderDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const input = body as IdentityProviderInput;
    return withEtag(response, await this.changes.setIdentityProvider(tenant, input, principal, expectedVersion(ifMatch)));
  }

  @OpenToSetupLinks()
  @Post('identity-provider/refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fetch the metadata URL again (a failure keeps the last good IdP and shows refreshError)' })
  async refreshIdentityProvider(
    @CurrentTenant() tenant: ResolvedTenant,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withEtag(response, await this.changes.refreshIdentityProvider(tenant, principal));
  }

  @OpenToSetupLinks()
  @Patch()
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOperation({ summary: 'Change mappings and options' })
  async update(
    @CurrentTenant() tenant: ResolvedTenant,
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateSsoSettingsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return withEtag(response, await this.changes.update(tenant, body, principal, expectedVersion(ifMatch)));
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove the configuration and the SP keys' })
  async remove(@CurrentTenant() tenant: ResolvedTenant, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.changes.remove(tenant, principal);
  }

  @OpenToSetupLinks()
  @Get('login-attempts')
  @ApiOperation({ summary: 'Recent SSO login attempts, newest first; filters by outcome, reason, email, test and reference' })
  loginAttempts(@CurrentTenant() tenant: ResolvedTenant, @Query() query: LoginAttemptsQueryDto) {
    const { limit, ...filter } = query;
    return this.reader.loginAttempts(tenant, limit ?? DEFAULT_LIMIT, filter);
  }

  @Get('audit-log')
  @ApiOperation({ summary: 'Changes to the SSO settings, newest first' })
  auditLog(@CurrentTenant() tenant: ResolvedTenant, @Query() query: LimitQueryDto) {
    return this.reader.auditLog(tenant, query.limit ?? DEFAULT_LIMIT);
  }
}

function withEtag(response: Response, settings: SsoSettings): Omit<SsoSettings, 'version'> {
  const { version, ...body } = settings;
  response.setHeader('ETag', `"${version}"`);
  return body;
}

/**
 * The version an `If-Match` names; null without one or for `*` (any version). An unparsable value
 * can never match, so it fails the precondition like a stale one.
 */
function expectedVersion(ifMatch: string | undefined): number | null {
  if (ifMatch === undefined) return null;
  const value = ifMatch.trim();
  if (value === '*') return null;
  const match = /^(?:W\/)?"(\d+)"$/.exec(value);
  return match ? Number(match[1]) : -1;
}
