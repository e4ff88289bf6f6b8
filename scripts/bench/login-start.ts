import { inflateRawSync } from 'node:zlib';
import type { HttpResult } from './http-client';
import { pageSummary } from './login-outcome';

export type RequestBinding = 'redirect' | 'post';

/** What an SP-initiated login start handed the browser: the AuthnRequest's ID and the RelayState to bring back. */
export interface IssuedRequest {
  requestId: string;
  relayState: string;
}

/**
 * Reads the AuthnRequest out of the answer of `GET /saml/{kind}/{id}/login`: a 302 to the IdP on
 * the Redirect binding, an auto-posting form on POST. A string says what came back instead.
 */
export function readLoginStart(result: HttpResult, binding: RequestBinding): IssuedRequest | string {
  let xml: string;
  let relayState: string | null;
  if (binding === 'redirect') {
    if (result.status !== 302 || !result.headers.location) return `HTTP ${result.status}: ${pageSummary(result.body)}`;
    const location = new URL(result.headers.location);
    const samlRequest = location.searchParams.get('SAMLRequest');
    relayState = location.searchParams.get('RelayState');
    if (!samlRequest || !location.searchParams.has('Signature')) return 'redirect without a signed SAMLRequest';
    xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
  } else {
    if (result.status !== 200) return `HTTP ${result.status}: ${pageSummary(result.body)}`;
    const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(result.body)?.[1];
    relayState = /name="RelayState" value="([^"]+)"/.exec(result.body)?.[1] ?? null;
    if (!samlRequest) return 'form without a SAMLRequest';
    xml = Buffer.from(samlRequest, 'base64').toString('utf8');
    if (!xml.includes('<ds:SignatureValue>')) return 'unsigned AuthnRequest on the POST binding';
  }
  const requestId = /\sID="([^"]+)"/.exec(xml)?.[1];
  if (!requestId || !relayState) return 'AuthnRequest without an ID or RelayState';
  return { requestId, relayState };
}
