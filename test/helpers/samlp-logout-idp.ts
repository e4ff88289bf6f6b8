import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as samlp from 'samlp';
import request from 'supertest';
import { RequestScopedLogoutStore } from '../../scripts/dev-idp/logout-state-store';
import { testCredential, type TestCredential } from './test-credentials';
import { IDP_ENTITY_ID } from './test-idp';

const BINDINGS = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const LOGOUT_STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
} as const;
const NAME_ID_ATTRIBUTES = ['Format', 'NameQualifier', 'SPNameQualifier', 'SPProvidedID'] as const;

/** The IdP's record of the session an assertion started at an SP. */
export interface IdpSession {
  spEntityId: string;
  spCertificatePem: string;
  spSloUrl: string;
  nameId: string;
  /** Every attribute the assertion's NameID carried; absent ones are absent here. */
  nameIdAttributes: Partial<Record<(typeof NAME_ID_ATTRIBUTES)[number], string>>;
  sessionIndex: string;
  /** How samlp sends its LogoutResponse back. */
  binding: keyof typeof BINDINGS;
}

/** A LogoutResponse as the IdP sends the browser back with it. */
export type LogoutAnswer =
  | { binding: 'redirect'; url: URL }
  | { binding: 'post'; action: string; samlResponse: string };

export interface LogoutRequestSeen {
  xml: string;
  nameIdAttributes: Record<string, string | null>;
  nameId: string;
  sessionIndexes: string[];
}

/**
 * An IdP's SLO endpoint made of auth0's samlp: it verifies the SP's signature on the LogoutRequest
 * and answers with a LogoutResponse signed by the `idp` test key. In front of it, the NameID is
 * compared as Lasso does: value and every attribute must be the asserted ones, or no session
 * matches and the answer is `Responder`.
 */
export class SamlpLogoutIdp {
  readonly seen: LogoutRequestSeen[] = [];
  private readonly app = express();

  constructor(private readonly session: IdpSession) {
    this.app.get('/slo', (req, res, next) => this.handle(req, res, next));
  }

  async answer(logoutUrl: string): Promise<LogoutAnswer> {
    const url = new URL(logoutUrl);
    return readAnswer(await request(this.app).get(`/slo${url.search}`));
  }

  private handle(req: Request, res: Response, next: NextFunction): void {
    req.body = {};
    const seen = readLogoutRequest(String(req.query.SAMLRequest));
    this.seen.push(seen);
    const signing = { issuer: IDP_ENTITY_ID, cert: testCredential('idp').certificatePem, key: testCredential('idp').privateKeyPem };
    const asserted = this.session;
    const sameIdentifier =
      seen.nameId === asserted.nameId && NAME_ID_ATTRIBUTES.every((name) => seen.nameIdAttributes[name] === (asserted.nameIdAttributes[name] ?? null));
    if (!sameIdentifier) {
      const id = /\sID="([^"]+)"/.exec(seen.xml)?.[1];
      samlp.sendLogoutError({
        ...signing,
        destination: asserted.spSloUrl,
        inResponseTo: id,
        error: { code: LOGOUT_STATUS.responder, description: 'No session for this NameID' },
        deflate: true,
        protocolBinding: BINDINGS[asserted.binding],
      })(req, res, next);
      return;
    }
    const participants = [
      {
        serviceProviderId: asserted.spEntityId,
        nameId: asserted.nameId,
        nameIdFormat: asserted.nameIdAttributes.Format,
        sessionIndex: asserted.sessionIndex,
        serviceProviderLogoutURL: asserted.spSloUrl,
        cert: asserted.spCertificatePem,
        binding: BINDINGS[asserted.binding],
      },
    ];
    samlp.logout({
      ...signing,
      destination: asserted.spSloUrl,
      deflate: true,
      store: new RequestScopedLogoutStore(),
      sessionParticipants: {
        get: (issuer, indexes, nameId, callback) =>
          callback(
            null,
            participants.find(
              (p) => p.serviceProviderId === issuer && p.nameId === nameId && [indexes ?? []].flat().includes(p.sessionIndex),
            ),
          ),
        hasElements: () => participants.length > 0,
        getFirst: (callback) => callback(null, participants[0]),
        remove: (issuer, _sessionIndex, nameId, callback) => {
          const index = participants.findIndex((p) => p.serviceProviderId === issuer && p.nameId === nameId);
          callback(null, index < 0 ? undefined : participants.splice(index, 1)[0]);
        },
      },
    })(req, res, next);
  }
}

/** A LogoutResponse made and signed by samlp with whatever the test needs to be wrong in it. */
export async function samlpLogoutResponse(options: {
  destination: string;
  inResponseTo: string;
  statusCode?: string;
  issuer?: string;
  credential?: TestCredential;
  binding?: keyof typeof BINDINGS;
}): Promise<LogoutAnswer> {
  const credential = options.credential ?? testCredential('idp');
  const app = express();
  app.get('/', (req, res, next) => {
    req.body = {};
    samlp.sendLogoutError({
      issuer: options.issuer ?? IDP_ENTITY_ID,
      cert: credential.certificatePem,
      key: credential.privateKeyPem,
      destination: options.destination,
      inResponseTo: options.inResponseTo,
      error: { code: options.statusCode ?? LOGOUT_STATUS.success },
      deflate: true,
      protocolBinding: BINDINGS[options.binding ?? 'redirect'],
    })(req, res, next);
  });
  return readAnswer(await request(app).get('/'));
}

export function logoutResponseXml(answer: LogoutAnswer): string {
  return answer.binding === 'redirect'
    ? inflateRawSync(Buffer.from(answer.url.searchParams.get('SAMLResponse')!, 'base64')).toString('utf8')
    : Buffer.from(answer.samlResponse, 'base64').toString('utf8');
}

function readAnswer(response: request.Response): LogoutAnswer {
  if (response.status === 302) return { binding: 'redirect', url: new URL(response.headers.location) };
  const form = /<form[^>]*action="([^"]+)"[\s\S]*name="SAMLResponse"\s+value="([^"]+)"/.exec(response.text);
  if (response.status !== 200 || !form) throw new Error(`samlp answered ${response.status}: ${response.text}`);
  return { binding: 'post', action: form[1], samlResponse: form[2] };
}

function readLogoutRequest(samlRequest: string): LogoutRequestSeen {
  const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!;
  const nameIdElement = root.getElementsByTagNameNS(SAML_NS, 'NameID')[0];
  const attributes = Object.fromEntries(
    NAME_ID_ATTRIBUTES.map((name) => [name, nameIdElement.hasAttribute(name) ? nameIdElement.getAttribute(name) : null]),
  );
  const sessionIndexes = Array.from(root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'SessionIndex')).map(
    (element) => element.textContent ?? '',
  );
  return { xml, nameIdAttributes: attributes, nameId: nameIdElement.textContent ?? '', sessionIndexes };
}
