import { CallHandler, createParamDecorator, ExecutionContext, Inject, Injectable, Logger, NestInterceptor, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthorizedRequest } from '../tenancy/access.decorators';
import { ScimRequest } from './scim-body';
import { invalidSyntax, SCIM_CONTENT_TYPE } from './scim-error';
import { SCIM_FAILURE, ScimFailure } from './scim-exception.filter';
import type { ScimContext } from './scim-request';
import { ScimRequestsRepository } from './scim-requests.repository';
import { SCIM_TOKEN_PREFIX, scimBaseUrl } from './scim-tokens.service';
import { TenancyService } from '../tenancy/tenancy.service';
import { isUuid, TenantRef } from '../tenancy/tenant';

const MAX_LOGGED_PATH = 500;
const RECORDING = 'scimRequestRecording';

/** The body scimBodyReader read; a body it refused raises its SCIM error here, after the access guard. */
export const ScimBodyParam = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  const body = context.switchToHttp().getRequest<ScimRequest>().scimBody;
  if (body && 'error' in body) throw body.error;
  if (body?.value === undefined) throw invalidSyntax('A JSON request body is required');
  return body.value;
});

/** Every SCIM answer is application/scim+json (RFC 7644 §3.1). */
@Injectable()
export class ScimContentType implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    context.switchToHttp().getResponse<Response>().setHeader('Content-Type', SCIM_CONTENT_TYPE);
    return next.handle();
  }
}

/** The tenant and token of a SCIM request (set by the access guard's SCIM branch). */
@Injectable()
export class ScimContextFactory {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  of(request: AuthorizedRequest): ScimContext {
    const principal = request.principal;
    if (principal?.kind !== 'scimToken') throw new Error('A SCIM route ran without a SCIM token principal');
    return { tenant: principal.tenant, tokenId: principal.tokenId, baseUrl: scimBaseUrl(this.config.publicBaseUrl, principal.tenant) };
  }
}

/** The tenant a SCIM path names, before routing parsed it: `/scim/v2/{organization|partner}/{id}/…`. */
const SCIM_TENANT_PATH = /^\/scim\/v2\/(organization|partner)\/([^/?#]+)/;
/** Anything shaped like a SCIM token in a logged path (a client that put one in the query string). */
const TOKEN_LIKE = new RegExp(`${SCIM_TOKEN_PREFIX}[A-Za-z0-9_-]+`, 'g');

/**
 * Records each SCIM request of a tenant with its outcome, for the provisioning view of the
 * settings page: those that carried a valid token of the tenant, and those refused with 401 on the
 * base URL of a tenant that exists (an IdP's failed Test Connection, a revoked token), with no token
 * id and never the credential. Recorded after the answer went out; a failure to record is logged and
 * never fails the request.
 */
@Injectable()
export class ScimRequestLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('ScimRequestLog');

  constructor(
    private readonly requests: ScimRequestsRepository,
    private readonly tenancy: TenancyService,
  ) {}

  use(request: AuthorizedRequest, response: Response, next: NextFunction): void {
    // Nest applies the middleware once per matching route: a path also matches the catch-all route.
    if (response.locals[RECORDING]) return next();
    response.locals[RECORDING] = true;
    const at = new Date();
    response.on('finish', () => {
      this.recordFinished(request, response, at).catch((error: Error) => this.logger.warn({ msg: 'SCIM request not recorded', error: error.message }));
    });
    next();
  }

  private async recordFinished(request: AuthorizedRequest, response: Response, at: Date): Promise<void> {
    const principal = request.principal?.kind === 'scimToken' ? request.principal : null;
    const tenant = principal ? principal.tenant : response.statusCode === 401 ? await this.namedTenant(request.originalUrl) : null;
    if (!tenant) return;
    const failure = response.locals[SCIM_FAILURE] as ScimFailure | undefined;
    this.requests.record({
      tenant,
      tokenId: principal?.tokenId ?? null,
      at,
      method: request.method,
      path: request.originalUrl.replace(TOKEN_LIKE, `${SCIM_TOKEN_PREFIX}…`).slice(0, MAX_LOGGED_PATH),
      status: response.statusCode,
      scimType: failure?.scimType ?? null,
      detail: failure?.detail.slice(0, MAX_LOGGED_PATH) ?? null,
    });
  }

  /** Only a tenant that exists: refused requests for made-up ids leave no row. */
  private async namedTenant(url: string): Promise<TenantRef | null> {
    const [, type, id] = SCIM_TENANT_PATH.exec(url) ?? [];
    if ((type !== 'organization' && type !== 'partner') || !isUuid(id)) return null;
    const tenant = await this.tenancy.resolveTenant({ type, id: id.toLowerCase() });
    return tenant ? { type: tenant.type, id: tenant.id } : null;
  }
}
