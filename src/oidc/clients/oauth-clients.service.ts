import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../../common/domain-errors';
import { SecretBox } from '../../sso-config/sp/secret-box';
import { OAuthClientEntity } from './oauth-client.entity';
import { OAuthClientsRepository } from './oauth-clients.repository';
import { redirectUriProblems } from './redirect-uri';

export const CLIENT_ID_PREFIX = 'oc_';
export const CLIENT_SECRET_PREFIX = 'ocs_';
const CLIENT_ID_PATTERN = /^oc_[A-Za-z0-9_-]{22}$/;

export interface OAuthClientView {
  clientId: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  createdAt: Date;
}

/** What the OpenID provider needs of a client; the only place the secret is ever opened. */
export interface ProviderClient {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface NewOAuthClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

/** Binds a sealed secret to its own row: copied into another client's row it does not open. */
const secretContext = (clientId: string) => `oauth-client:${clientId}`;

/**
 * The relying parties of the OpenID provider, registered by the platform operator. The secret is
 * answered once, at creation, and stored sealed with the key that seals the SP private keys.
 */
@Injectable()
export class OAuthClientsService {
  // There is no platform-level audit log (sso_audit_log is per tenant): registrations are recorded here.
  private readonly logger = new Logger('OAuthClients');

  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly secrets: SecretBox,
  ) {}

  async create(input: NewOAuthClient): Promise<OAuthClientView & { clientSecret: string }> {
    const postLogoutRedirectUris = input.postLogoutRedirectUris ?? [];
    const problems = [...redirectUriProblems('redirectUris', input.redirectUris), ...redirectUriProblems('postLogoutRedirectUris', postLogoutRedirectUris)];
    if (problems.length > 0) throw InvalidInputError.of([problems[0], ...problems.slice(1)]);

    const clientId = `${CLIENT_ID_PREFIX}${randomBytes(16).toString('base64url')}`;
    const clientSecret = `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: OAuthClientEntity = {
      clientId,
      name: input.name,
      clientSecretSealed: this.secrets.seal(clientSecret, secretContext(clientId)),
      redirectUris: input.redirectUris,
      postLogoutRedirectUris,
      createdAt: new Date(),
    };
    await this.clients.insert(row);
    this.logger.log({ msg: 'oauth client registered', clientId, name: row.name });
    const view = toView(row);
    return { clientId, clientSecret, name: view.name, redirectUris: view.redirectUris, postLogoutRedirectUris: view.postLogoutRedirectUris, createdAt: view.createdAt };
  }

  async list(): Promise<OAuthClientView[]> {
    return (await this.clients.list()).map(toView);
  }

  /** Its codes, grants and tokens are the provider's; with the client gone, the provider refuses them all. */
  async delete(clientId: string): Promise<void> {
    if (!CLIENT_ID_PATTERN.test(clientId) || !(await this.clients.delete(clientId))) throw new NotFoundError('OAuth client not found');
    this.logger.log({ msg: 'oauth client deleted', clientId });
  }

  /** The client as the provider needs it, its secret opened, or null (unknown or deleted). */
  async findForProvider(clientId: string): Promise<ProviderClient | null> {
    const row = CLIENT_ID_PATTERN.test(clientId) ? await this.clients.find(clientId) : null;
    if (!row) return null;
    return {
      clientId: row.clientId,
      clientSecret: this.secrets.open(row.clientSecretSealed, secretContext(row.clientId)),
      name: row.name,
      redirectUris: row.redirectUris,
      postLogoutRedirectUris: row.postLogoutRedirectUris,
    };
  }
}

function toView(row: OAuthClientEntity): OAuthClientView {
  return { clientId: row.clientId, name: row.name, redirectUris: row.redirectUris, postLogoutRedirectUris: row.postLogoutRedirectUris, createdAt: row.createdAt };
}
