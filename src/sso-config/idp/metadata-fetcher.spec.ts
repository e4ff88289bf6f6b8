import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { AddressInfo } from 'node:net';
import { metadataFixture } from '../../../test/fixtures/metadata';
import { fetchMetadata, type FetchMetadataOptions, type HostResolver } from './metadata-fetcher';

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
  '/redirect-to-cloud-metadata': (_request, response) => {
    response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
    response.end();
  },
  '/redirect-to-internal-name': (_request, response) => {
    response.writeHead(307, { location: `http://intranet.idp.test:${port}/metadata` });
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
let port: number;
let baseUrl: string;
/** Requests the local server received, to show that refused hosts are never connected to. */
let served = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    served += 1;
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
  port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// The local server is on loopback, which only an operator's ALLOW_PRIVATE_METADATA_HOSTS lets through.
function fetchLocal(path: string, timeoutMs = 2000): Promise<string> {
  return fetchMetadata(`${baseUrl}${path}`, { allowHttp: true, allowPrivateHosts: true, timeoutMs, maxBytes: MAX_BYTES });
}

/** A resolver answering from a table (and counting its calls), for host names no DNS knows. */
function resolverOf(table: Record<string, string[] | (() => string[])>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return (typeof entry === 'function' ? entry() : entry).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
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
    const { port: closedPort } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      fetchMetadata(`http://127.0.0.1:${closedPort}/metadata`, { allowHttp: true, allowPrivateHosts: true }),
    ).rejects.toEqual(configError('fetch_failed'));
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

describe('fetchMetadata on private networks', () => {
  const strict: FetchMetadataOptions = { allowHttp: true, timeoutMs: 2000 };

  it.each([
    ['IPv4 loopback', () => `${baseUrl}/metadata`],
    ['localhost (through the system resolver)', () => `http://localhost:${port}/metadata`],
    ['IPv6 loopback', () => `http://[::1]:${port}/metadata`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port}/metadata`],
    ['loopback written as one decimal number', () => `http://2130706433:${port}/metadata`],
    ['0.0.0.0', () => `http://0.0.0.0:${port}/metadata`],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network', () => 'http://10.0.0.1/metadata'],
    ['link-local IPv6', () => 'http://[fe80::1]/metadata'],
  ])('refuses %s without connecting', async (_description, url) => {
    const before = served;
    await expect(fetchMetadata(url(), strict)).rejects.toEqual(
      expect.objectContaining({
        field: 'metadataUrl',
        code: 'private_address_not_allowed',
        message: expect.stringContaining('private or internal network address'),
      }),
    );
    expect(served).toBe(before);
  });

  it('refuses a host name that resolves to a private address, or to a private one among public ones', async () => {
    const resolveHost = resolverOf({ 'idp.example.com': ['10.20.30.40'], 'mixed.example.com': ['8.8.8.8', '192.168.1.1'] });
    for (const host of ['idp.example.com', 'mixed.example.com']) {
      await expect(fetchMetadata(`https://${host}/metadata`, { ...strict, resolveHost })).rejects.toEqual(
        configError('private_address_not_allowed'),
      );
    }
  });

  it('refuses a redirect to cloud metadata, or to a name that resolves to a private address', async () => {
    // Only the local server's own address is let through, so the first hop is served and the next refused.
    const resolveHost = resolverOf({ 'intranet.idp.test': ['10.0.0.5'] });
    const firstHopOnly: FetchMetadataOptions = { ...strict, allowedPrivateAddresses: ['127.0.0.1'], resolveHost };
    const before = served;
    await expect(fetchMetadata(`${baseUrl}/redirect-to-cloud-metadata`, firstHopOnly)).rejects.toEqual(
      configError('private_address_not_allowed'),
    );
    await expect(fetchMetadata(`${baseUrl}/redirect-to-internal-name`, firstHopOnly)).rejects.toEqual(
      configError('private_address_not_allowed'),
    );
    expect(served).toBe(before + 2);
    expect(resolveHost.calls).toEqual(['intranet.idp.test']);
  });

  it('connects to the address it resolved, resolving once', async () => {
    const resolveHost = resolverOf({ 'metadata.idp.test': ['127.0.0.1'] });
    await expect(
      fetchMetadata(`http://metadata.idp.test:${port}/metadata`, { ...strict, allowPrivateHosts: true, resolveHost }),
    ).resolves.toBe(METADATA);
    expect(resolveHost.calls).toEqual(['metadata.idp.test']);
  });

  it('leaves no gap for a name that changes its answer between check and connection (DNS rebinding)', async () => {
    // First answer an address that passes (nothing listens there), then the loopback server, which does not.
    const answers = [['127.0.0.2'], ['127.0.0.1']];
    const resolveHost = resolverOf({ 'rebind.idp.test': () => answers.shift() ?? ['127.0.0.1'] });
    const options: FetchMetadataOptions = { ...strict, allowedPrivateAddresses: ['127.0.0.2'], resolveHost };
    const before = served;
    await expect(fetchMetadata(`http://rebind.idp.test:${port}/metadata`, options)).rejects.toEqual(
      configError('fetch_failed'),
    );
    expect(resolveHost.calls).toEqual(['rebind.idp.test']);
    expect(served).toBe(before);
  });

  it('lets everything through when the operator allows private hosts', async () => {
    await expect(fetchMetadata(`http://localhost:${port}/metadata`, { ...strict, allowPrivateHosts: true })).resolves.toBe(
      METADATA,
    );
  });
});
