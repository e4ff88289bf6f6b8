import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

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

/**
 * Structured JSON logs with a request id. Only the path is logged, never the query string
 * (SAMLRequest, RelayState) nor headers and bodies (tokens, keys, SAML payloads).
 */
export function loggingOptions(level: string, stream?: DestinationStream): Params {
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
    customProps: (_request, response) => (response as ResponseWithFailure)[FAILURE_FIELDS] ?? {},
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    redact: { paths: ['req.headers', 'res.headers'], remove: true },
  };
  return { pinoHttp: stream ? [options, stream] : options };
}
