import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';
import type { LogFormat } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** What a failed request adds to its request log line: the reference its answer shows, and the reason code. */
export interface FailureLogFields {
  reference: string;
  reason?: string;
}

const FAILURE_FIELDS = Symbol('failure log fields');

type ResponseWithFailure = ServerResponse & { [FAILURE_FIELDS]?: FailureLogFields };

/** Called by the exception filters, so that the request's one log line can be found by the reference. */
export function logFailureWithRequest(response: ServerResponse, fields: FailureLogFields): void {
  (response as ResponseWithFailure)[FAILURE_FIELDS] = fields;
}

/** The readiness probe's 503 while the database starts is its normal "not yet", not a failure. */
const READINESS_PATH = '/health/ready';

/**
 * Structured JSON logs with a request id. Only the path is logged, never the query string
 * (SAMLRequest, RelayState) nor headers and bodies (tokens, keys, SAML payloads).
 * The pretty format prints the same fields, so it carries no more than the JSON lines.
 */
export function loggingOptions(level: string, stream?: DestinationStream, format: LogFormat = 'json', nodeEnv = 'development'): Params {
  const options: Params['pinoHttp'] = {
    level,
    genReqId: (request: IncomingMessage) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    serializers: {
      req: (request: { id: string; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    // Nothing rather than {} when there is nothing to add: pino-http makes a child logger of every
    // truthy value when the request starts (about 7 µs a request, for no field).
    customProps: (_request, response) => (response as ResponseWithFailure)[FAILURE_FIELDS] as object,
    // A refused request (4xx) is the service doing its job; only the service's own failures are errors.
    customLogLevel: (request, response, error) => {
      if (response.statusCode === 503 && request.url?.split('?')[0] === READINESS_PATH) return 'info';
      return error || response.statusCode >= 500 ? 'error' : 'info';
    },
    // pino-http makes up an Error (with a stack into its own code) for every 5xx without one. A 503 is an
    // answer the service chose (database not ready or unavailable), so it gets no made-up stack; a 500's
    // real stack is logged by the exception filter under the reference of its answer.
    customErrorObject: (_request, response, error, fields) => {
      if (response.statusCode !== 503) return fields;
      const { err: _synthesized, ...withoutError } = fields as Record<string, unknown>;
      return withoutError;
    },
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
  };
  const destination = prettyLines(format, nodeEnv, stream) ?? stream;
  return { pinoHttp: destination ? [options, destination] : options };
}

function prettyLines(format: LogFormat, nodeEnv: string, stream?: DestinationStream): DestinationStream | null {
  // Tests hand their own stream and parse JSON from it: `auto` looks at standard output only.
  const pretty = format === 'pretty' || (format === 'auto' && !stream && nodeEnv !== 'production' && process.stdout.isTTY === true);
  if (!pretty) return null;
  return pinoPretty({
    destination: stream ?? 1,
    // Synchronous, so the last lines before a process.exit() are not lost.
    sync: true,
    colorize: !stream && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: (log, messageKey) => {
      const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
      const request = log.req as { method?: string; path?: string } | undefined;
      const response = log.res as { statusCode?: number } | undefined;
      if (!request || !response) return `${context}${String(log[messageKey] ?? '')}`;
      const took = typeof log.responseTime === 'number' ? ` in ${log.responseTime} ms` : '';
      return `${request.method} ${request.path} ${response.statusCode}${took}`;
    },
  });
}

/** Nest's own start-up chatter (a line per module and per route): useful when debugging only. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest's logger with its start-up lines moved to `debug`, so the terminal starts with what matters. */
export function withQuietStartUp(logger: LoggerService): LoggerService {
  return {
    log: (message: unknown, ...rest: unknown[]) =>
      START_UP_CONTEXTS.has(String(rest[rest.length - 1])) ? logger.debug?.(message, ...rest) : logger.log(message, ...rest),
    error: (message: unknown, ...rest: unknown[]) => logger.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => logger.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => logger.debug?.(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => logger.verbose?.(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => logger.fatal?.(message, ...rest),
  };
}
