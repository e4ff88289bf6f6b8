// @ts-check
import { ApiError, callApi, pluralOf } from './api.js';

/** @typedef {import('./api.js').Credential} Credential */
/** @typedef {import('./api.js').TenantKind} TenantKind */
/** @typedef {{ type: TenantKind, id: string }} Tenant */

/**
 * The contract's `Settings` (only the parts the pages read are spelled out).
 * @typedef {{
 *   tenant: Tenant,
 *   enabled: boolean,
 *   status: 'awaiting_idp' | 'active' | 'disabled',
 *   serviceProvider: { entityId: string, acsUrl: string, metadataUrl: string, loginUrl: string, sloUrl: string, certificate: string },
 *   identityProvider: IdentityProvider | null,
 *   attributeMapping: { email: string, firstName: string, lastName: string, groups: string },
 *   roleMapping: { group: string, role: string }[],
 *   defaultRole: string,
 *   justInTimeProvisioning: boolean,
 *   enforceSso: boolean,
 *   groupsOverrideRole: boolean,
 *   allowIdpInitiated: boolean,
 *   clockSkewSeconds: number,
 *   allowSha1Signatures: boolean,
 *   allowCbcEncryption: boolean,
 *   domains: string[],
 *   allowedEmailDomains: string[],
 *   lastSuccessfulSignInAt: string | null,
 *   warnings: { code: string, message: string }[],
 *   updatedAt: string,
 * }} Settings
 */

/**
 * @typedef {{
 *   entityId: string, ssoUrl: string, ssoBinding: string, sloUrl: string | null, metadataUrl: string | null,
 *   source?: string, lastRefreshedAt?: string | null, refreshError?: string | null, refreshErrorCode?: string | null,
 *   certificates: { subject: string, notBefore: string, notAfter: string, fingerprintSha256: string, expiresSoon: boolean }[],
 * }} IdentityProvider
 */

/**
 * One tenant's SSO settings as last read from the API, with the ETag that guards changes against
 * overwriting someone else's (If-Match on PUT and PATCH).
 */
export class SettingsSession {
  /**
   * @param {Credential} credential
   * @param {Tenant} tenant
   */
  constructor(credential, tenant) {
    this.credential = credential;
    this.tenant = tenant;
    this.basePath = `/api/v1/${pluralOf(tenant.type)}/${encodeURIComponent(tenant.id)}/sso`;
    /** null: SSO was never enabled (or was removed). @type {Settings | null} */
    this.settings = null;
    /** @type {string | null} */
    this.etag = null;
    /** @type {((settings: Settings | null) => void)[]} */
    this.listeners = [];
  }

  /** @param {(settings: Settings | null) => void} listener */
  onChange(listener) {
    this.listeners.push(listener);
  }

  async load() {
    try {
      const { body, etag } = await callApi(this.credential, 'GET', this.basePath);
      this.update(body, etag);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      this.update(null, null);
    }
  }

  /**
   * @param {'POST' | 'PUT' | 'PATCH'} method
   * @param {string} subpath such as `/enable` or `/identity-provider`; empty for the settings themselves
   * @param {unknown} [body]
   */
  async change(method, subpath, body) {
    const conditional = method !== 'POST';
    const answer = await callApi(this.credential, method, this.basePath + subpath, {
      body,
      ifMatch: conditional ? this.etag : null,
    });
    this.update(answer.body, answer.etag);
  }

  async remove() {
    await callApi(this.credential, 'DELETE', this.basePath);
    this.update(null, null);
  }

  /**
   * A list under the settings (`/login-attempts`, `/audit-log`).
   * @param {string} subpath
   */
  async list(subpath) {
    return /** @type {any[]} */ ((await callApi(this.credential, 'GET', this.basePath + subpath)).body);
  }

  /**
   * @param {Settings | null} settings
   * @param {string | null} etag
   */
  update(settings, etag) {
    this.settings = settings;
    this.etag = etag;
    this.notifyListeners();
  }

  notifyListeners() {
    for (const listener of this.listeners) listener(this.settings);
  }
}
