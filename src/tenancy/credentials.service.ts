import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Principal, SESSION_AUTHENTICATOR, SessionAuthenticator } from './principal';
import { TenancyRepository } from './tenancy.repository';
import { API_KEY_PREFIX, hashApiKey } from './tenancy.service';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Turns a bearer token into a principal: platform token, tenant API key or SSO session. */
@Injectable()
export class CredentialsService {
  private readonly platformTokenDigest: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly repository: TenancyRepository,
    @Optional() @Inject(SESSION_AUTHENTICATOR) private readonly sessions?: SessionAuthenticator,
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
    return this.sessions ? this.sessions.authenticate(token) : null;
  }
}
