import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Principal, SESSION_AUTHENTICATOR, SessionAuthenticator, SETUP_LINK_AUTHENTICATOR, SetupLinkAuthenticator } from './principal';
import { TenancyRepository } from './tenancy.repository';
import { API_KEY_PREFIX, hashApiKey } from './tenancy.service';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Turns a bearer token into a principal: platform token, tenant API key, setup-link access token or SSO session. */
@Injectable()
export class CredentialsService {
  private readonly platformTokenDigest: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: TenancyRepository,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions?: SessionAuthenticator,
    @Optional() @Inject(SETUP_LINK_AUTHENTICATOR) private readonly setupLinks?: SetupLinkAuthenticator,
  ) {
    this.platformTokenDigest = digest(config.platformAdminToken);
  }

  async authenticate(token: string): Promise<Principal | null> {
    if (!token) return null;
    if (timingSafeEqual(digest(token), this.platformTokenDigest)) return { kind: 'platform' };
    if (token.startsWith(API_KEY_PREFIX)) {
      const key = await this.repository.findActiveApiKeyByHash(hashApiKey(token));
      if (!key) return null;
      await this.repository.touchApiKey(key, new Date());
      return { kind: 'apiKey', keyId: key.id, tenant: { type: key.tenantType, id: key.tenantId } };
    }
    if (this.setupLinks?.recognizes(token)) return this.setupLinks.authenticate(token);
    return this.sessions ? this.sessions.authenticate(token) : null;
  }
}
