import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { auditActorOf } from '../sso-config/sso-audit';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import type { Principal, SetupLinkAuthenticator } from '../tenancy/principal';
import { TenancyService } from '../tenancy/tenancy.service';
import { isUuid, TenantRef } from '../tenancy/tenant';
import { SetupLinkRefusal } from './setup-link.errors';
import { SetupLinkEntity } from './setup-link.entities';
import { SetupLinksRepository } from './setup-links.repository';

export const SETUP_LINK_TOKEN_PREFIX = 'sl_';
export const SETUP_ACCESS_TOKEN_PREFIX = 'sla_';
export const MIN_LIFETIME_HOURS = 1;
export const MAX_LIFETIME_HOURS = 168;
export const DEFAULT_LIFETIME_HOURS = 72;
/** An access token is a working session of the set-up, not the link's whole lifetime: the page exchanges the link again. */
export const ACCESS_TOKEN_MAX_HOURS = 12;
const HOUR_MS = 3600_000;

/** Both tokens carry 256 random bits, so a plain SHA-256 is a sound one-way hash for lookup. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

export interface SetupLinkView {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
}

export interface SetupLinkSession {
  accessToken: string;
  tenant: TenantRef & { name: string };
  expiresAt: Date;
}

/**
 * Setup links: a tenant's admin (or its partner) hands the SSO set-up to whoever runs the IdP. The
 * link's token is exchanged for a short access token; that token is a principal of its own kind,
 * which the access guard lets through only the routes declared @OpenToSetupLinks, for its tenant.
 */
@Injectable()
export class SetupLinksService implements SetupLinkAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: SetupLinksRepository,
    private readonly tenancy: TenancyService,
    private readonly audit: SsoConfigRepository,
  ) {}

  async create(tenant: TenantRef, expiresInHours: number | undefined, principal: Principal): Promise<{ id: string; url: string; expiresAt: Date }> {
    const hours = expiresInHours ?? DEFAULT_LIFETIME_HOURS;
    if (hours < MIN_LIFETIME_HOURS || hours > MAX_LIFETIME_HOURS) {
      throw new InvalidInputError(
        'expiresInHours',
        'lifetime_out_of_range',
        `expiresInHours must be from ${MIN_LIFETIME_HOURS} to ${MAX_LIFETIME_HOURS} hours`,
      );
    }
    const token = newToken(SETUP_LINK_TOKEN_PREFIX);
    const now = new Date();
    const link = await this.links.insertLink({
      id: randomUUID(),
      tenantType: tenant.type,
      tenantId: tenant.id,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + hours * HOUR_MS),
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.audit.addAudit(tenant, auditActorOf(principal), 'setup_link.created', [
      { field: `setupLinks.${link.id}`, old: null, new: `expires ${link.expiresAt.toISOString()}` },
    ]);
    return { id: link.id, url: `${this.config.publicBaseUrl}/setup/${token}`, expiresAt: link.expiresAt };
  }

  async list(tenant: TenantRef): Promise<SetupLinkView[]> {
    return (await this.links.listOf(tenant)).map(toView);
  }

  /** Idempotent for a link of this tenant; its access tokens stop working at once. */
  async revoke(tenant: TenantRef, linkId: string, principal: Principal): Promise<void> {
    const link = isUuid(linkId) ? await this.links.find(tenant, linkId.toLowerCase()) : null;
    if (!link) throw new NotFoundError('Setup link not found');
    if (await this.links.revoke(link, new Date())) {
      await this.audit.addAudit(tenant, auditActorOf(principal), 'setup_link.revoked', [
        { field: `setupLinks.${link.id}`, old: 'active', new: 'revoked' },
      ]);
    }
  }

  /** The link's token for an access token of at most ACCESS_TOKEN_MAX_HOURS, never outliving the link. */
  async exchange(token: string): Promise<SetupLinkSession> {
    const link = token.startsWith(SETUP_LINK_TOKEN_PREFIX) ? await this.links.findByTokenHash(hashToken(token)) : null;
    const now = new Date();
    if (!link) throw new SetupLinkRefusal('link_unknown', 'This is not a setup link; ask whoever sent it for a new one');
    if (link.revokedAt) throw new SetupLinkRefusal('link_revoked', 'This setup link was revoked; ask whoever sent it for a new one');
    if (link.expiresAt <= now) throw new SetupLinkRefusal('link_expired', 'This setup link has expired; ask whoever sent it for a new one');
    const accessToken = newToken(SETUP_ACCESS_TOKEN_PREFIX);
    const expiresAt = new Date(Math.min(link.expiresAt.getTime(), now.getTime() + ACCESS_TOKEN_MAX_HOURS * HOUR_MS));
    await this.links.insertToken({ id: randomUUID(), linkId: link.id, tokenHash: hashToken(accessToken), createdAt: now, expiresAt });
    await this.links.touch(link.id, link.lastUsedAt, now, false);
    const tenant: TenantRef = { type: link.tenantType, id: link.tenantId };
    return { accessToken, tenant: { ...tenant, name: await this.tenantName(tenant) }, expiresAt };
  }

  recognizes(token: string): boolean {
    return token.startsWith(SETUP_ACCESS_TOKEN_PREFIX);
  }

  async authenticate(token: string): Promise<Principal | null> {
    const now = new Date();
    const live = await this.links.findLive(hashToken(token), now);
    if (!live) return null;
    await this.links.touch(live.linkId, live.lastUsedAt, now, true);
    return { kind: 'setupLink', linkId: live.linkId, tenant: live.tenant };
  }

  private async tenantName(tenant: TenantRef): Promise<string> {
    return tenant.type === 'partner' ? (await this.tenancy.getPartner(tenant.id)).name : (await this.tenancy.getOrganization(tenant.id)).name;
  }
}

function toView(link: SetupLinkEntity): SetupLinkView {
  return { id: link.id, createdAt: link.createdAt, expiresAt: link.expiresAt, lastUsedAt: link.lastUsedAt, revoked: link.revokedAt !== null };
}
