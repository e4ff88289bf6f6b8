import { CallHandler, createParamDecorator, ExecutionContext, Inject, Injectable, Logger, NestInterceptor, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthorizedRequest } from '../tenancy/access.decorators';
import { ScimRequest } from './scim-body';
import { invalidSyntax, SCIM_CONTENT_TYPE } from './scim-error';
import { SCIM_FAILURE, ScimFailure } from './scim-exception.filter';
import type { ScimContext } from './scim-request';
import { ScimRequestsRepository } from './scim-requests.repository';
import { scimBaseUrl } from './scim-tokens.service';

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

/**
 * Records each SCIM request that carried a valid token of its tenant, with its outcome, for the
 * provisioning view of the settings page. Recorded after the answer went out; a failure to record
 * is logged and never fails the request.
 */
@Injectable()
export class ScimRequestLogMiddleware implements NestMiddleware {
  private readonly logger = new Logger('ScimRequestLog');

  constructor(private readonly requests: ScimRequestsRepository) {}

  use(request: AuthorizedRequest, response: Response, next: NextFunction): void {
    // Nest applies the middleware once per matching route: a path also matches the catch-all route.
    if (response.locals[RECORDING]) return next();
    response.locals[RECORDING] = true;
    const at = new Date();
    response.on('finish', () => {
      const principal = request.principal;
      if (principal?.kind !== 'scimToken') return;
      const failure = response.locals[SCIM_FAILURE] as ScimFailure | undefined;
      this.requests
        .record({
          tenant: principal.tenant,
          tokenId: principal.tokenId,
          at,
          method: request.method,
          path: request.originalUrl.slice(0, MAX_LOGGED_PATH),
          status: response.statusCode,
          scimType: failure?.scimType ?? null,
          detail: failure?.detail.slice(0, MAX_LOGGED_PATH) ?? null,
        })
        .catch((error: Error) => this.logger.warn({ msg: 'SCIM request not recorded', error: error.message }));
    });
    next();
  }
}
