import { inflateRawSync } from 'node:zlib';
import { createSamlPackageResponse } from './test-idp';
import type { SsoTenant } from './sso-tenant';

/**
 * A browser for the OpenID flows over real HTTP: a cookie jar (one host, so paths are ignored) and
 * redirects followed one at a time, so a test sees every hop.
 */
export class OidcBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Follows redirects on this service until one leads elsewhere (the client's redirect_uri, the IdP); the last Location. */
  async follow(start: Response, stopAt: (url: URL) => boolean = () => false): Promise<URL> {
    let response = start;
    for (let hop = 0; hop < 20; hop++) {
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) {
        throw new Error(`expected a redirect, got ${response.status}: ${(await response.text()).slice(0, 500)}`);
      }
      const next = new URL(location, this.baseUrl);
      if (next.origin !== new URL(this.baseUrl).origin || stopAt(next)) return next;
      response = await this.get(next.toString());
    }
    throw new Error('too many redirects');
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url, this.baseUrl);
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(target, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = attributes.some((attribute) => /^\s*expires=/i.test(attribute) && new Date(attribute.split('=')[1]).getTime() < Date.now());
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/**
 * The test IdP's leg: reads the AuthnRequest at the IdP's SSO URL, answers it with a signed
 * assertion for `email`, posts it to the tenant's ACS and returns the ACS answer.
 */
export async function signInAtIdp(
  browser: OidcBrowser,
  idpUrl: URL,
  tenant: SsoTenant,
  email: string,
  attributes: Record<string, string | string[]> = {},
): Promise<{ response: Response; samlRequest: string }> {
  const samlRequest = inflateRawSync(Buffer.from(idpUrl.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  const requestId = /\sID="([^"]+)"/.exec(samlRequest)![1];
  const assertion = await createSamlPackageResponse({
    audiences: [[tenant.spEntityId]],
    recipient: tenant.acsUrl,
    destination: tenant.acsUrl,
    inResponseTo: requestId,
    nameId: email,
    attributes: { 'User.Email': email, ...attributes },
  });
  const response = await browser.postForm(`${tenant.samlPath}/acs`, { SAMLResponse: assertion.base64, RelayState: idpUrl.searchParams.get('RelayState')! });
  return { response, samlRequest };
}
