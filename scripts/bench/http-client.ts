import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: string;
}

/** HTTP/1.1 over keep-alive connections, at most `maxSockets` of them, to one loopback service. */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: URL,
    maxSockets: number,
    private readonly timeoutMs: number,
  ) {
    if (baseUrl.protocol !== 'http:') throw new Error(`only http:// services can be targeted, got ${baseUrl.protocol}`);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(method: string, path: string, options: SendOptions = {}): Promise<HttpResult> {
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: { ...options.headers, ...(body && { 'content-length': String(body.length) }) },
        },
        (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => (text += chunk));
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }));
          incoming.on('error', reject);
        },
      );
      outgoing.setTimeout(this.timeoutMs, () => outgoing.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  postForm(path: string, fields: Record<string, string>): Promise<HttpResult> {
    return this.send('POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** A JSON API call that must succeed; throws with the status and body otherwise. */
  async json<T>(method: string, path: string, token: string, payload?: unknown): Promise<T> {
    const result = await this.send(method, path, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    if (result.status < 200 || result.status >= 300) {
      throw new Error(`${method} ${path} answered ${result.status}: ${result.body.slice(0, 500)}`);
    }
    return JSON.parse(result.body) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
