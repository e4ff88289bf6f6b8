import { BadRequestException, INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { securityHeaders } from './common/security-headers';
import { withQuietStartUp } from './common/logging';
import { Database } from './database/database.service';
import { SCIM_BASE_PATH, scimBodyReader } from './scim/scim-body';
import { isOidcPath } from './oidc/oidc-paths';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';

export const JSON_BODY_LIMIT = '2mb';
export const FORM_BODY_LIMIT = '1mb';

/** Builds the whole application (used by main and by the end-to-end tests). */
export interface CreateAppOptions {
  /** false silences Nest's own start-up messages (tests). */
  logs?: boolean;
  /** Where the JSON log lines go instead of standard output (tests read them). */
  logStream?: DestinationStream;
}

export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.logStream), {
    bodyParser: false,
    bufferLogs: true,
    logger: options.logs === false ? false : undefined,
  });
  if (options.logs !== false) app.useLogger(withQuietStartUp(app.get(Logger)));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders(config));
  if (config.corsOrigins.length > 0) {
    // The OpenID provider's endpoints keep CORS closed (its discovery and JWKS open it themselves).
    app.enableCors((request: { url?: string }, decide: (error: Error | null, options: CorsOptions) => void) =>
      decide(null, isOidcPath(request.url ?? '') ? { origin: false } : { origin: config.corsOrigins, credentials: true }),
    );
  }
  // SCIM bodies (application/scim+json, 1 MB) are read first; the parsers below then skip them.
  app.use(SCIM_BASE_PATH, scimBodyReader());
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: FORM_BODY_LIMIT, extended: false, parameterLimit: 50 });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationFailure }),
  );
  setUpOpenApi(app);
  return app;
}

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SSO service')
      .setDescription('Enterprise SAML SSO for organizations and partners')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/** Starts the database connection in the background; readiness follows it. */
export function startDatabase(app: INestApplication): Promise<void> {
  return app.get(Database).start();
}

/**
 * A 400 that names the first offending field (dotted path) and lists every problem, each with its
 * field, the failed rule as a code (`is_not_empty`, `max_length`…) that clients put in their own
 * words, and class-validator's message.
 */
function validationFailure(errors: ValidationError[]): BadRequestException {
  const problems = flatten(errors);
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    field: problems[0]?.field,
    code: 'invalid_field',
    message: problems[0]?.message ?? 'Invalid request',
    errors: problems,
  });
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; code: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: snakeCase(constraint),
      message: message.replace(error.property, field),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** class-validator names its rules in camelCase (`isNotEmpty`); the API's codes are snake_case. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
