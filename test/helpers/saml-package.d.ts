// auth0's `saml` package ships no typings; this covers the part the test IdP uses.
declare module 'saml' {
  export const Saml20: {
    create(
      options: Record<string, unknown>,
      callback: (error: Error | null, assertionXml?: string) => void,
    ): void;
  };
}

// What the SLO counterpart (test/helpers/samlp-logout-idp.ts) uses of auth0's `samlp` beyond the dev IdP's typings.
declare module 'samlp' {
  import type { RequestHandler } from 'express';

  export interface SessionParticipant {
    serviceProviderId: string;
    nameId: string;
    nameIdFormat?: string;
    sessionIndex: string;
    serviceProviderLogoutURL: string;
    /** The SP's signing certificate: LogoutRequests without a valid signature by it are refused. */
    cert: string;
    binding: string;
  }

  export interface SessionParticipantStore {
    get(issuer: string, sessionIndices: string[] | string | undefined, nameId: string, callback: (error: Error | null, participant?: SessionParticipant) => void): void;
    hasElements(): boolean;
    getFirst(callback: (error: Error | null, participant?: SessionParticipant) => void): void;
    remove(issuer: string, sessionIndex: string, nameId: string, callback: (error: Error | null, removed?: SessionParticipant) => void): void;
  }

  export interface LogoutOptions {
    sessionParticipants?: SessionParticipantStore;
    deflate?: boolean;
    protocolBinding?: string;
  }

  export interface LogoutErrorOptions {
    issuer: string;
    cert: string;
    key: string;
    destination: string;
    inResponseTo?: string;
    error?: { code?: string; description?: string };
    deflate?: boolean;
    protocolBinding?: string;
  }

  export function sendLogoutError(options: LogoutErrorOptions): RequestHandler;

  /** What samlp reads of an AuthnRequest; `forceAuthn` is the attribute's text when present. */
  export interface AuthnRequestSeenByIdp {
    id?: string;
    issuer?: string;
    assertionConsumerServiceURL?: string;
    destination?: string;
    forceAuthn?: string;
  }

  /** With `signingCert`, samlp refuses an unsigned request and verifies the signature (Redirect: over the query it re-encodes). */
  export function parseRequest(
    request: { query: Record<string, string>; body?: Record<string, string> },
    options: { signingCert: string },
    callback: (error: Error | null, data?: AuthnRequestSeenByIdp) => void,
  ): void;
}
