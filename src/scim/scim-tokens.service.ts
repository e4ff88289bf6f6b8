import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { NotFoundError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { auditActorOf } from '../sso-config/sso-audit';
import { Principal, ScimTokenAuthenticator } from '../tenancy/principal';
import { isUuid, TenantRef } from '../tenancy/tenant';
import { ScimTokensRepository } from './scim-tokens.repository';

export const SCIM_TOKEN_PREFIX = 'scim_';
/** lastUsedAt is a hint for the settings page: written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ScimTokenView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface CreatedScimToken extends Omit<ScimTokenView, 'lastUsedAt'> {
  token: string;
  baseUrl: string;
}

/** 256 random bits: a plain SHA-256 is a sound one-way hash for lookup. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function scimBaseUrl(publicBaseUrl: string, tenant: TenantRef): string {
  return `${publicBaseUrl.replace(/\/$/, '')}/scim/v2/${tenant.type}/${tenant.id}`;
}

/** SCIM bearer tokens per tenant: shown once, stored as a hash, revoked by deleting the row. */
@Injectable()
export class ScimTokensService implements ScimTokenAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: ScimTokensRepository,
    private readonly audit: SsoConfigRepository,
  ) {}

  async create(tenant: TenantRef, name: string, actor: Principal): Promise<CreatedScimToken> {
    const token = `${SCIM_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = { id: randomUUID(), tenantType: tenant.type, tenantId: tenant.id, name, createdAt: new Date(), lastUsedAt: null };
    await this.tokens.insert({ ...row, tokenHash: hashToken(token) });
    await this.audit.addAudit(tenant, auditActorOf(actor), 'scim.token.created', [{ field: `scimTokens.${row.id}`, old: null, new: name }]);
    return { id: row.id, name, token, baseUrl: scimBaseUrl(this.config.publicBaseUrl, tenant), createdAt: row.createdAt };
  }

  async list(tenant: TenantRef): Promise<ScimTokenView[]> {
    return (await this.tokens.list(tenant)).map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, createdAt, lastUsedAt }));
  }

  async revoke(tenant: TenantRef, tokenId: string, actor: Principal): Promise<void> {
    if (!isUuid(tokenId) || !(await this.tokens.delete(tenant, tokenId.toLowerCase()))) throw new NotFoundError('SCIM token not found');
    await this.audit.addAudit(tenant, auditActorOf(actor), 'scim.token.revoked', [{ field: `scimTokens.${tokenId.toLowerCase()}`, old: 'active', new: null }]);
  }

  async authenticate(token: string): Promise<Extract<Principal, { kind: 'scimToken' }> | null> {
    if (!token.startsWith(SCIM_TOKEN_PREFIX)) return null;
    const row = await this.tokens.findByHash(hashToken(token));
    if (!row) return null;
    const now = new Date();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) await this.tokens.touch(row.id, now);
    return { kind: 'scimToken', tokenId: row.id, tenant: { type: row.tenantType, id: row.tenantId } };
  }
}
