import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metadataFixture } from '../../../test/fixtures/metadata';
import { fetchMetadata } from './metadata-fetcher';

const METADATA = metadataFixture('okta.xml');
const MAX_BYTES = 64 * 1024;

type Route = (request: IncomingMessage, response: ServerResponse) => void;

const routes: Record<string, Route> = {
  '/metadata': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
    response.end(METADATA);
  },
  '/metadata-with-bom': (_request, response) => {
    response.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(METADATA)]));
  },
  '/declared-too-large': (_request, response) => {
    response.writeHead(200, { 'content-length': String(MAX_BYTES + 1) });
    response.write('<md:EntityDescriptor');
  },
  '/streamed-too-large': (_request, response) => {
    // Chunked, without a Content-Length, so only counting the stream notices.
    response.writeHead(200, { 'content-type': 'application/xml' });
    const chunk = 'x'.repeat(16 * 1024);
    for (let written = 0; written <= MAX_BYTES; written += chunk.length) {
      response.write(chunk);
    }
    response.end();
  },
  '/never-answers': () => undefined,
  '/stalls-mid-body': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/xml' });
    response.write('<md:EntityDescriptor');
  },
  '/not-found': (_request, response) => {
    response.writeHead(404, { 'content-type': 'text/html' });
    response.end('<html><body>Not Found</body></html>');
  },
  '/redirect-without-location': (_request, response) => {
    response.writeHead(302);
    response.end();
  },
  '/redirect-to-file': (_request, response) => {
    response.writeHead(302, { location: 'file:///etc/passwd' });
    response.end();
  },
};

function redirectChain(request: IncomingMessage, response: ServerResponse): boolean {
  const hops = /^\/hops\/(\d+)$/.exec(request.url ?? '');
  if (hops === null) {
    return false;
  }
  const remaining = Number(hops[1]);
  response.writeHead(remaining === 0 ? 307 : 302, {
    location: remaining === 0 ? '/metadata' : `/hops/${remaining - 1}`,
  });
  response.end();
  return true;
}

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (redirectChain(request, response)) {
      return;
    }
    const route = routes[request.url ?? ''];
    if (route === undefined) {
      response.writeHead(500);
      response.end();
      return;
    }
    route(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function fetchLocal(path: string, timeoutMs = 2000): Promise<string> {
  return fetchMetadata(`${baseUrl}${path}`, { allowHttp: true, timeoutMs, maxBytes: MAX_BYTES });
}

function configError(code: string) {
  return expect.objectContaining({ name: 'IdpConfigError', field: 'metadataUrl', code });
}

describe('fetchMetadata', () => {
  it('returns the document', async () => {
    await expect(fetchLocal('/metadata')).resolves.toBe(METADATA);
  });

  it('follows up to three redirects', async () => {
    // /hops/2 → /hops/1 → /hops/0 → /metadata
    await expect(fetchLocal('/hops/2')).resolves.toBe(METADATA);
  });

  it('refuses a fourth redirect', async () => {
    await expect(fetchLocal('/hops/3')).rejects.toEqual(configError('fetch_failed'));
  });

  it('refuses a redirect without a Location', async () => {
    await expect(fetchLocal('/redirect-without-location')).rejects.toEqual(configError('fetch_failed'));
  });

  it('holds redirect targets to the same scheme rules', async () => {
    await expect(fetchLocal('/redirect-to-file')).rejects.toEqual(configError('invalid_url'));
  });

  it('refuses a Content-Length over the limit without reading the body', async () => {
    await expect(fetchLocal('/declared-too-large')).rejects.toEqual(configError('too_large'));
  });

  it('stops reading a body that grows past the limit', async () => {
    await expect(fetchLocal('/streamed-too-large')).rejects.toEqual(configError('too_large'));
  });

  it('gives up on a server that does not answer in time', async () => {
    await expect(fetchLocal('/never-answers', 150)).rejects.toEqual(configError('timeout'));
  });

  it('gives up on a body that does not arrive in time', async () => {
    await expect(fetchLocal('/stalls-mid-body', 150)).rejects.toEqual(configError('timeout'));
  });

  it('reports an error status', async () => {
    await expect(fetchLocal('/not-found')).rejects.toEqual(
      expect.objectContaining({ code: 'fetch_failed', message: expect.stringContaining('404') }),
    );
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchMetadata(`http://127.0.0.1:${port}/metadata`, { allowHttp: true })).rejects.toEqual(
      configError('fetch_failed'),
    );
  });

  it('refuses plain http unless allowed', async () => {
    await expect(fetchMetadata(`${baseUrl}/metadata`, { allowHttp: false })).rejects.toEqual(
      configError('http_not_allowed'),
    );
  });

  it.each([
    ['not a URL', 'metadata.xml'],
    ['another scheme', 'ftp://idp.example.com/metadata.xml'],
    ['credentials in the URL', 'https://user:password@idp.example.com/metadata'],
  ])('refuses %s', async (_description, url) => {
    await expect(fetchMetadata(url, { allowHttp: false })).rejects.toEqual(configError('invalid_url'));
  });

  it('keeps a byte-order mark for the parser to skip', async () => {
    await expect(fetchLocal('/metadata-with-bom')).resolves.toBe(`\uFEFF${METADATA}`);
  });
});
