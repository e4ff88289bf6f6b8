import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { NextFunction, Request, Response } from 'express';
import * as samlp from 'samlp';
import { errorPage, homePage, loginPage } from './pages';
import { RequestScopedLogoutStore } from './logout-state-store';
import { loadOrCreateSigningIdentity, SigningIdentity } from './signing-identity';
import { DEFAULT_EMAIL_DOMAIN, DevUser, devUsers } from './users';

export interface DevIdpOptions {
  /** 0 picks a free port. */
  port: number;
  /** The service's DATA_DIR: the signing key and certificate are kept in its `dev-idp/` folder. */
  dataDir: string;
  /** The domain of the users' email addresses. */
  emailDomain?: string;
}

export interface RunningDevIdp {
  baseUrl: string;
  entityId: string;
  metadataUrl: string;
  certificatePem: string;
  users: DevUser[];
  close(): Promise<void>;
}

const EMAIL_NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const ASSERTION_LIFETIME_SECONDS = 300;
const SIGNING_ALGORITHMS = { signatureAlgorithm: 'rsa-sha256', digestAlgorithm: 'sha256' } as const;
// Bound to loopback only: it signs an assertion for whoever asks.
const BIND_ADDRESS = '127.0.0.1';
const PAGE_SECURITY_POLICY = "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

type SigningOptions = typeof SIGNING_ALGORITHMS & { issuer: string; cert: string; key: string };

class DevIdpInputError extends Error {}

/** Okta's default attribute statements for a SAML app: the names the service maps by default. */
function userClaims(user: DevUser) {
  return {
    getClaims: () => ({
      'User.Email': user.email,
      'User.FirstName': user.firstName,
      'User.LastName': user.lastName,
      'User.groups': user.groups,
    }),
    getNameIdentifier: () => ({ nameIdentifier: user.email, nameIdentifierFormat: EMAIL_NAME_ID_FORMAT }),
  };
}
// samlp lists these claim types as <Attribute> elements in the metadata; the service reads none.
userClaims.prototype.metadata = [] as { id: string; displayName: string }[];

/**
 * A local SAML 2.0 IdP on auth0's `samlp`: SP-initiated sign-in (AuthnRequest over HTTP-Redirect or
 * HTTP-POST, answered with a signed Response over HTTP-POST, InResponseTo set), IdP-initiated sign-in,
 * SP-initiated single logout, and its metadata at `/metadata`.
 */
export async function startDevIdp(options: DevIdpOptions): Promise<RunningDevIdp> {
  const signing = loadOrCreateSigningIdentity(join(options.dataDir, 'dev-idp'));
  const users = devUsers(options.emailDomain ?? DEFAULT_EMAIL_DOMAIN);
  const app = express();
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, BIND_ADDRESS, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const baseUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  const metadataUrl = `${baseUrl}/metadata`;
  // Like most IdPs (and this service's SP), its entity ID is where its metadata is served.
  const entityId = metadataUrl;
  // The routes need the port that listening picked; no request is handled before this line runs.
  configureRoutes(app, { entityId, metadataUrl, signing, users });
  return {
    baseUrl,
    entityId,
    metadataUrl,
    certificatePem: signing.certificatePem,
    users,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface IdpContext {
  entityId: string;
  metadataUrl: string;
  signing: SigningIdentity;
  users: DevUser[];
}

function configureRoutes(app: express.Express, context: IdpContext): void {
  const { entityId, metadataUrl, signing, users } = context;
  const signingOptions: SigningOptions = { issuer: entityId, cert: signing.certificatePem, key: signing.privateKeyPem, ...SIGNING_ALGORITHMS };

  app.disable('x-powered-by');
  app.use(express.urlencoded({ extended: false, limit: '256kb' }));
  app.use('/assets', express.static(join(__dirname, 'public'), { index: false }));

  app.get('/', (_request, response) => {
    sendPage(response, homePage({ entityId, metadataUrl, users }));
  });

  app.get(
    '/metadata',
    samlp.metadata({
      issuer: entityId,
      cert: signing.certificatePem,
      profileMapper: userClaims,
      redirectEndpointPath: '/sso',
      postEndpointPath: '/sso',
      logoutEndpointPaths: { redirect: '/slo', post: '/slo' },
    }),
  );

  const showLoginForm = (request: Request, response: Response, next: NextFunction) => {
    const samlRequest = request.query.SAMLRequest ?? request.body?.SAMLRequest;
    if (typeof samlRequest !== 'string') {
      response.redirect('/');
      return;
    }
    readSamlRequest(request)
      .then(({ serviceProvider, acsUrl }) => {
        const relayState = request.query.RelayState ?? request.body?.RelayState;
        sendPage(
          response,
          loginPage({
            serviceProvider,
            acsUrl: acsUrl ?? siblingEndpoint(serviceProvider, 'acs'),
            samlRequest,
            relayState: typeof relayState === 'string' ? relayState : '',
            users,
          }),
        );
      })
      .catch(next);
  };
  app.get('/sso', showLoginForm);
  app.post('/sso', showLoginForm);

  app.post('/sso/respond', (request, response, next) => {
    readSamlRequest(request)
      .then(({ serviceProvider, acsUrl }) =>
        signedResponse({ ...signingOptions, user: chosenUser(request, users), acsUrl: acsUrl ?? siblingEndpoint(serviceProvider, 'acs') })(
          request,
          response,
          next,
        ),
      )
      .catch(next);
  });

  app.post('/idp-initiated', (request, response, next) => {
    try {
      const audience = httpUrl(request.body?.audience, 'The service provider entity ID');
      const acsUrl = request.body?.acsUrl ? httpUrl(request.body.acsUrl, 'The ACS URL') : siblingEndpoint(audience, 'acs');
      signedResponse({ ...signingOptions, user: chosenUser(request, users), acsUrl, audience })(request, response, next);
    } catch (error) {
      next(error);
    }
  });

  const logout = (request: Request, response: Response, next: NextFunction) => {
    readSamlRequest(request)
      .then(({ serviceProvider }) =>
        samlp.logout({ ...signingOptions, destination: siblingEndpoint(serviceProvider, 'slo'), store: new RequestScopedLogoutStore() })(
          request,
          response,
          next,
        ),
      )
      .catch(next);
  };
  app.get('/slo', logout);
  app.post('/slo', logout);

  app.use((error: Error, _request: Request, response: Response, _next: NextFunction) => {
    const known = error instanceof DevIdpInputError;
    if (!known) process.stderr.write(`dev IdP: ${error.stack ?? error.message}\n`);
    response.status(known ? 400 : 500);
    sendPage(response, errorPage(known ? error.message : `Something failed in the dev IdP: ${error.message}`));
  });
}

function sendPage(response: Response, page: string): void {
  response.set('Content-Security-Policy', PAGE_SECURITY_POLICY).type('html').send(page);
}

/** samlp's sign-in handler for one response: to `acsUrl`, for the audience given or the AuthnRequest's issuer. */
function signedResponse(options: SigningOptions & { user: DevUser; acsUrl: string; audience?: string }) {
  const { user, acsUrl, ...signing } = options;
  return samlp.auth({
    ...signing,
    getPostURL: (_audience, _authnRequest, _request, callback) => callback(null, acsUrl),
    getUserFromRequest: () => user,
    profileMapper: userClaims,
    destination: acsUrl,
    recipient: acsUrl,
    signResponse: true,
    nameIdentifierFormat: EMAIL_NAME_ID_FORMAT,
    lifetimeInSeconds: ASSERTION_LIFETIME_SECONDS,
    sessionIndex: `_${randomBytes(16).toString('hex')}`,
  });
}

/** Who sent the SAMLRequest (an AuthnRequest or a LogoutRequest), and the ACS URL an AuthnRequest names. */
function readSamlRequest(request: Request): Promise<{ serviceProvider: string; acsUrl: string | null }> {
  return new Promise((resolve, reject) => {
    samlp.parseRequest(request, (error, data) => {
      if (error || !data) {
        reject(new DevIdpInputError(`The SAMLRequest could not be read${error ? `: ${error.message}` : ''}.`));
        return;
      }
      if (!data.issuer) {
        reject(new DevIdpInputError('The SAMLRequest names no Issuer, so the dev IdP cannot tell which service provider sent it.'));
        return;
      }
      resolve({ serviceProvider: data.issuer, acsUrl: data.assertionConsumerServiceURL ?? null });
    });
  });
}

function chosenUser(request: Request, users: DevUser[]): DevUser {
  const user = users.find((candidate) => candidate.id === request.body?.user);
  if (!user) throw new DevIdpInputError('Choose one of the listed users.');
  return user;
}

/**
 * This service's SP entity ID is its metadata URL, and its ACS and SLO endpoints sit next to it
 * (`…/metadata`, `…/acs`, `…/slo`); that is how the dev IdP finds them when a message does not say.
 */
function siblingEndpoint(entityId: string, endpoint: 'acs' | 'slo'): string {
  if (!/^https?:\/\/.+\/metadata$/.test(entityId)) {
    throw new DevIdpInputError(`Cannot derive the ${endpoint.toUpperCase()} URL from the entity ID "${entityId}"; give the URL explicitly.`);
  }
  return entityId.replace(/\/metadata$/, `/${endpoint}`);
}

/** The value as given (an audience must match the SP's entity ID exactly), once known to be an http(s) URL. */
function httpUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new DevIdpInputError(`${what} must be an http(s) URL.`);
  }
  return value;
}
