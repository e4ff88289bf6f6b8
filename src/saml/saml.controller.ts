import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { setSessionCookie } from '../common/session-cookie';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { PublicRoute } from '../tenancy/access.decorators';
import { AcsService } from './login/acs.service';
import { LoginConfigCache } from './login/login-config.cache';
import { SignInService } from './login/sign-in.service';
import { sendIdpLogoutPage } from './logout/sign-out-pages';
import { BrowserHop, SingleLogoutService } from './logout/single-logout.service';
import { sendAutoPostForm } from './protocol/auto-post-form';
import { serviceProviderOf } from './protocol/samlify-entities';
import { SamlValidationError, TenantSsoError } from './saml-error';
import { SamlErrorPageFilter } from './saml-error-page.filter';
import { samlTenant } from './saml-path-tenant';

@ApiTags('saml')
@Controller('saml/:kind/:id')
@PublicRoute()
@UseFilters(SamlErrorPageFilter)
export class SamlController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly configs: LoginConfigCache,
    private readonly signIn: SignInService,
    private readonly acs: AcsService,
    private readonly logout: SingleLogoutService,
  ) {}

  @Get('metadata')
  @ApiOperation({ summary: "The tenant's SP metadata (404 without SSO)" })
  async metadata(@Param('kind') kind: string, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const config = await this.configs.get(samlTenant(kind, id));
    if (!config) throw new TenantSsoError('unknown_tenant', 'SSO is not set up for this tenant');
    response.type('application/samlmetadata+xml').send(serviceProviderOf(config).getMetadata());
  }

  @Get('login')
  @RateLimited('saml-login')
  @ApiOperation({ summary: 'Start SP-initiated sign-in: 302 to the IdP, or an auto-submitting form (HTTP-POST); force=true asks the IdP for a fresh login (ForceAuthn)' })
  async login(
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Query('returnTo') returnTo: unknown,
    @Query('force') force: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const start = await this.signIn.start(samlTenant(kind, id), returnTo, { forceAuthn: force === 'true' });
    response.setHeader('Cache-Control', 'no-store');
    if (start.binding === 'redirect') {
      response.redirect(302, start.url);
      return;
    }
    sendAutoPostForm(response, start.url, { SAMLRequest: start.samlRequest, RelayState: start.relayState });
  }

  @Post('acs')
  @HttpCode(302)
  @RateLimited('saml-acs')
  @ApiOperation({ summary: 'Assertion Consumer Service (HTTP-POST): 302 to returnTo with the session cookie, or a 4xx page' })
  async assertionConsumer(
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const login = await this.acs.consume(samlTenant(kind, id), form?.SAMLResponse, form?.RelayState);
    setSessionCookie(response, login.sessionToken, login.sessionExpiresAt, this.config.servedOverHttps);
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, login.returnTo);
  }

  @Get('slo')
  @ApiOperation({ summary: "Single logout, HTTP-Redirect: the IdP's signed LogoutRequest, or its LogoutResponse to ours" })
  async singleLogoutRedirect(
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const tenant = samlTenant(kind, id);
    const { SAMLRequest, SAMLResponse, RelayState } = request.query;
    // The signature covers the query octets as sent, so the validators take the raw query.
    const incoming = { binding: 'redirect' as const, rawQuery: request.originalUrl.slice(request.originalUrl.indexOf('?') + 1) };
    if (typeof SAMLRequest === 'string') {
      const relayState = typeof RelayState === 'string' ? RelayState : null;
      sendHop(response, await this.logout.handleIdpLogoutRequest(tenant, incoming, relayState));
      return;
    }
    if (typeof SAMLResponse === 'string') {
      sendIdpLogoutPage(response, await this.logout.handleIdpLogoutResponse(tenant, incoming));
      return;
    }
    throw new SamlValidationError('malformed_request', 'The query carries neither a SAMLRequest nor a SAMLResponse');
  }

  @Post('slo')
  @ApiOperation({ summary: "Single logout, HTTP-POST: the IdP's signed LogoutRequest, or its LogoutResponse to ours" })
  async singleLogoutPost(
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Body() form: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const tenant = samlTenant(kind, id);
    if (typeof form?.SAMLRequest === 'string') {
      const relayState = typeof form.RelayState === 'string' ? form.RelayState : null;
      sendHop(response, await this.logout.handleIdpLogoutRequest(tenant, { binding: 'post', base64: form.SAMLRequest }, relayState));
      return;
    }
    if (typeof form?.SAMLResponse === 'string') {
      sendIdpLogoutPage(response, await this.logout.handleIdpLogoutResponse(tenant, { binding: 'post', base64: form.SAMLResponse }));
      return;
    }
    throw new SamlValidationError('malformed_request', 'The form carries neither a SAMLRequest nor a SAMLResponse');
  }
}

function sendHop(response: Response, hop: BrowserHop): void {
  response.setHeader('Cache-Control', 'no-store');
  if (hop.kind === 'redirect') response.redirect(302, hop.url);
  else sendAutoPostForm(response, hop.url, hop.fields);
}

