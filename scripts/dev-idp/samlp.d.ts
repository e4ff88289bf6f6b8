// auth0's `samlp` ships no typings; this covers the part the dev IdP uses.
declare module 'samlp' {
  import type { Request, RequestHandler } from 'express';

  export interface ParsedAuthnRequest {
    id?: string;
    issuer?: string;
    assertionConsumerServiceURL?: string;
    destination?: string;
  }

  export interface ProfileMapper {
    (user: never): { getClaims(): Record<string, unknown>; getNameIdentifier(): { nameIdentifier: string; nameIdentifierFormat?: string } };
    prototype: { metadata: { id: string; displayName: string }[] };
  }

  interface SigningOptions {
    issuer: string;
    cert: string;
    key: string;
    signatureAlgorithm?: 'rsa-sha256';
    digestAlgorithm?: 'sha256';
  }

  export interface AuthOptions extends SigningOptions {
    getPostURL(audience: string, authnRequest: unknown, request: Request, callback: (error: Error | null, url?: string) => void): void;
    getUserFromRequest(request: Request): unknown;
    profileMapper: ProfileMapper;
    audience?: string;
    destination: string;
    recipient: string;
    signResponse: boolean;
    nameIdentifierFormat?: string;
    lifetimeInSeconds?: number;
    sessionIndex?: string;
  }

  /** State kept between the messages of one logout (flowstate's SessionStore interface). */
  export interface LogoutStateStore {
    save(request: Request, state: object, callback: (error: Error | null, handle?: string) => void): void;
    load(request: Request, handle: string, options: { destroy?: boolean } | LoadCallback, callback?: LoadCallback): void;
    update(request: Request, handle: string, state: object, callback: (error: Error | null) => void): void;
  }
  type LoadCallback = (error: Error | null, state?: object) => void;

  export interface LogoutOptions extends SigningOptions {
    destination: string;
    store: LogoutStateStore;
  }

  export interface MetadataOptions {
    issuer: string;
    cert: string;
    profileMapper: ProfileMapper;
    redirectEndpointPath: string;
    postEndpointPath: string;
    logoutEndpointPaths: { redirect?: string; post?: string };
  }

  export function parseRequest(request: Request, callback: (error: Error | null, data?: ParsedAuthnRequest) => void): void;
  export function auth(options: AuthOptions): RequestHandler;
  export function logout(options: LogoutOptions): RequestHandler;
  export function metadata(options: MetadataOptions): RequestHandler;
}
