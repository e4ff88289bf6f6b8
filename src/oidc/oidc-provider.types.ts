import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';

/**
 * The part of oidc-provider (an ES module without type declarations) this service uses, typed
 * here once so that the rest of the module stays checked.
 */
export interface OidcProviderModule {
  default: new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
  errors: Record<string, new (description?: string) => Error>;
  interactionPolicy: {
    base(): InteractionPolicy;
    Check: new (reason: string, description: string, error: string, check: (ctx: OidcContext) => boolean | Promise<boolean>) => unknown;
  };
}

type PolicyChecks = unknown[] & {
  add(check: unknown, index?: number): void;
  get(reason: string): { check: (ctx: OidcContext) => boolean | Promise<boolean> };
};

export type InteractionPolicy = Array<{ name: string; checks: PolicyChecks }> & { get(name: string): { checks: PolicyChecks } };

export interface OidcProvider {
  proxy: boolean;
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  use(middleware: (ctx: OidcContext, next: () => Promise<void>) => Promise<void>): void;
  on(event: string, listener: (...args: any[]) => void): void;
  interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>;
  interactionResult(request: IncomingMessage, response: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
  interactionFinished(request: IncomingMessage, response: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: GrantModel;
  cookieName(type: 'session' | 'interaction' | 'resume'): string;
  Client: { find(clientId: string): Promise<OidcClient | undefined> };
}

export interface OidcClient {
  clientId: string;
  compareClientSecret(secret: string): Promise<boolean>;
}

export interface InteractionDetails {
  uid: string;
  iat: number;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, string | undefined>;
  session?: { accountId?: string };
  grantId?: string;
  result?: Record<string, unknown>;
}

export interface GrantModel {
  new (properties: { accountId: string; clientId: string }): Grant;
  find(id: string): Promise<Grant | undefined>;
}

export interface Grant {
  accountId: string;
  clientId: string;
  exp?: number;
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  getOIDCScope(): string;
  save(): Promise<string>;
  destroy(): Promise<void>;
}

/** The Koa context as oidc-provider extends it, as far as the checks and hooks read it. */
export interface OidcContext {
  req: IncomingMessage;
  /** The response OidcProviderService.handle was given, which is Express's. */
  res: Response;
  method: string;
  status: number;
  path: string;
  response: { get(header: string): string };
  cookies: { set(name: string, value: string | null, options: Record<string, unknown>): void };
  redirect(url: string): void;
  body: unknown;
  type: string;
  set(header: string, value: string): void;
  oidc: {
    route?: string;
    params?: Record<string, unknown>;
    client?: { clientId: string };
    session?: {
      accountId?: string;
      grantIdFor(clientId: string, grantId?: string): string | undefined;
      loginAccount(login: { accountId: string; loginTs: number }): void;
      ensureClientContainer(clientId: string): void;
    };
    prompts: Set<string>;
    entity(name: 'Account' | 'Grant', value: unknown): void;
    result?: { consent?: { grantId?: string } };
    provider: OidcProvider;
    requestParamScopes: Set<string>;
    resourceServers?: Record<string, unknown>;
  };
}
