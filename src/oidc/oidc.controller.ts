import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { HTML_PAGE_CSP, renderErrorPage } from '../common/error-page';
import { newErrorReference } from '../common/error-reference';
import { logFailureWithRequest } from '../common/logging';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { PublicRoute } from '../tenancy/access.decorators';
import { InteractionService } from './interaction.service';
import { JwtAccessTokensService, looksLikeJwt, OAuthRefusal } from './jwt-access-tokens.service';
import { OidcProviderService } from './oidc-provider.service';

/** oidc-provider's own pages (the form_post and logout forms) carry an inline script it hashes into script-src. */
const PROVIDER_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The OpenID provider inside Nest, so that every route has its access rule (all public: the
 * protocol authenticates its callers) and the rate limits apply. Requests are handed to
 * oidc-provider as they came, except the interaction (the service's login) and the three endpoints
 * the service answers itself for JWT access tokens (see JwtAccessTokensService).
 */
@ApiExcludeController()
@Controller()
@PublicRoute()
export class OidcController {
  constructor(
    private readonly oidc: OidcProviderService,
    private readonly interactions: InteractionService,
    private readonly accessTokens: JwtAccessTokensService,
  ) {}

  @Get('.well-known/openid-configuration')
  discovery(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.delegate(request, response);
  }

  @Get('oidc/auth')
  @RateLimited('oidc-authorize')
  authorize(@Req() request: Request, @Res() response: Response): Promise<void> {
    const query = new URLSearchParams(request.url.slice(request.url.indexOf('?') + 1));
    const prompt = withConsentForOfflineAccess(query.get('scope'), query.get('prompt'));
    if (prompt !== null) {
      query.set('prompt', prompt);
      request.url = `${request.url.split('?')[0]}?${query}`;
    }
    return this.delegate(request, response);
  }

  @Post('oidc/auth')
  @RateLimited('oidc-authorize')
  authorizeByPost(@Req() request: Request, @Res() response: Response): Promise<void> {
    const body = formOf(request);
    const prompt = withConsentForOfflineAccess(body.scope, body.prompt);
    if (prompt !== null) body.prompt = prompt;
    return this.delegate(request, response);
  }

  @Post('oidc/token')
  @RateLimited('oidc-token')
  token(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.delegate(request, response);
  }

  @Post('oidc/token/introspection')
  async introspection(@Req() request: Request, @Res() response: Response): Promise<void> {
    const body = formOf(request);
    if (!looksLikeJwt(body.token)) return this.delegate(request, response);
    await this.answer(response, () => this.accessTokens.introspect(request.headers, body, body.token as string));
  }

  @Post('oidc/token/revocation')
  async revocation(@Req() request: Request, @Res() response: Response): Promise<void> {
    const body = formOf(request);
    if (!looksLikeJwt(body.token)) return this.delegate(request, response);
    await this.answer(response, async () => {
      await this.accessTokens.revoke(request.headers, body, body.token as string);
      return undefined;
    });
  }

  @Get('oidc/me')
  userinfo(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.answer(response, () => this.accessTokens.userinfo(request.headers.authorization));
  }

  @Post('oidc/me')
  userinfoByPost(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.answer(response, () => this.accessTokens.userinfo(request.headers.authorization));
  }

  @Get('oidc/interaction/:uid')
  async interaction(@Req() request: Request, @Res() response: Response, @Query('login_failed') loginFailed: unknown): Promise<void> {
    try {
      await this.interactions.resume(request, response, loginFailed !== undefined);
    } catch (error) {
      // oidc-provider's errors (an interaction unknown or expired, its cookie missing) are the browser's to see.
      const status = (error as { statusCode?: number; expose?: boolean }).expose ? (error as { statusCode: number }).statusCode : 0;
      if (!status || status >= 500) throw error;
      const reference = newErrorReference();
      const reason = (error as { error?: string }).error ?? 'invalid_request';
      logFailureWithRequest(response, { reference, reason });
      response.status(status).setHeader('Content-Security-Policy', HTML_PAGE_CSP).setHeader('Cache-Control', 'no-store');
      response.type('html').send(
        renderErrorPage({ title: 'Sign-in failed', explanation: 'This sign-in has expired or was already completed. Start again from the app.', reason, reference }),
      );
    }
  }

  /** The rest of oidc-provider's routes (JWKS, end-session and its confirmation, the authorization's resume). */
  @Get('oidc/*path')
  rest(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.delegate(request, response);
  }

  @Post('oidc/*path')
  restByPost(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.delegate(request, response);
  }

  private async delegate(request: Request, response: Response): Promise<void> {
    response.setHeader('Content-Security-Policy', PROVIDER_CSP);
    await this.oidc.handle(request, response);
  }

  private async answer(response: Response, work: () => Promise<Record<string, unknown> | undefined>): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    try {
      const body = await work();
      if (body === undefined) response.status(200).end();
      else response.status(200).json(body);
    } catch (error) {
      if (!(error instanceof OAuthRefusal)) throw error;
      const { status, error: code, description, headers } = error.answer;
      for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
      logFailureWithRequest(response, { reference: newErrorReference(), reason: code });
      response.status(status).json({ error: code, error_description: description });
    }
  }
}

/**
 * The contract grants offline_access without prompt=consent (the apps are the platform's own, and
 * no consent screen is shown); oidc-provider follows OpenID Connect Core 11 and drops the scope
 * unless the request says prompt=consent. So the service adds consent to the prompt, and the
 * interaction answers it without a screen. Not under prompt=none, which must stand alone: there,
 * offline_access is dropped as the specification says. Null when the request stays as it is.
 */
function withConsentForOfflineAccess(scope: unknown, prompt: unknown): string | null {
  if (typeof scope !== 'string' || !scope.split(' ').includes('offline_access')) return null;
  if (prompt !== undefined && prompt !== null && typeof prompt !== 'string') return null;
  const prompts = (prompt ?? '').split(' ').filter(Boolean);
  if (prompts.includes('consent') || prompts.includes('none')) return null;
  return [...prompts, 'consent'].join(' ');
}

function formOf(request: Request): Record<string, unknown> {
  return request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
}
