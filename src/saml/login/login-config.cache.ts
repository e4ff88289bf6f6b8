import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SecretBox, tenantSecretContext } from '../../sso-config/sp/secret-box';
import { spUrls } from '../../sso-config/sp/sp-urls';
import { SsoConfigChangeNotifier } from '../../sso-config/sso-config-change.notifier';
import { SsoConfigRepository } from '../../sso-config/sso-config.repository';
import { optionsOf } from '../../sso-config/sso-options';
import type { TenantRef } from '../../tenancy/tenant';
import type { TenantLoginConfig } from './tenant-login-config';

/** How stale a cached entry may be before its version is checked against the database again. */
export const REVALIDATE_AFTER_MS = 1000;

interface Entry {
  config: TenantLoginConfig | null;
  checkedAt: number;
}

const keyOf = (tenant: TenantRef) => `${tenant.type}:${tenant.id}`;

/**
 * The login path's view of the settings. Keys are parsed and the SP private key unsealed once per
 * settings version. A change on this instance evicts at once; a change made on another instance is
 * seen within REVALIDATE_AFTER_MS through the version column, so a disabled tenant stops logging in
 * within a second everywhere.
 */
@Injectable()
export class LoginConfigCache implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly appConfig: AppConfig,
    private readonly repository: SsoConfigRepository,
    private readonly secrets: SecretBox,
    notifier: SsoConfigChangeNotifier,
  ) {
    this.unsubscribe = notifier.subscribe((tenant) => this.entries.delete(keyOf(tenant)));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /** Null when the tenant never enabled SSO (or deleted its configuration). */
  async get(tenant: TenantRef): Promise<TenantLoginConfig | null> {
    const key = keyOf(tenant);
    const cached = this.entries.get(key);
    const now = Date.now();
    if (cached && now - cached.checkedAt < REVALIDATE_AFTER_MS) return cached.config;
    if (cached && (await this.repository.versionOf(tenant)) === (cached.config?.version ?? null)) {
      cached.checkedAt = now;
      return cached.config;
    }
    const config = await this.load(tenant);
    this.entries.set(key, { config, checkedAt: now });
    return config;
  }

  private async load(tenant: TenantRef): Promise<TenantLoginConfig | null> {
    const stored = await this.repository.find(tenant);
    if (!stored) return null;
    // Opens only for the tenant it was sealed for, so a sealed key copied from another row fails here.
    const privateKeyPem = this.secrets.open(stored.spPrivateKeySealed, tenantSecretContext(tenant));
    return {
      tenant: { type: stored.tenantType, id: stored.tenantId },
      version: stored.version,
      enabled: stored.enabled,
      idp: stored.idp,
      idpKeys: (stored.idp?.certificates ?? []).map((pem) => createPublicKey(pem)),
      sp: {
        ...spUrls(this.appConfig.publicBaseUrl, tenant),
        certificatePem: stored.spCertificate,
        certificateBase64: new X509Certificate(stored.spCertificate).raw.toString('base64'),
        privateKeyPem,
        privateKey: createPrivateKey(privateKeyPem),
      },
      options: optionsOf(stored),
    };
  }
}
