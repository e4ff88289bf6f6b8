import type { KeyObject } from 'node:crypto';
import type { SsoOptions, StoredIdp } from '../../sso-config/sso-config.types';
import type { SpUrls } from '../../sso-config/sp/sp-urls';
import type { TenantRef } from '../../tenancy/tenant';

/** What the SAML endpoints need of a tenant, with keys already parsed (cached per settings version). */
export interface TenantLoginConfig {
  tenant: TenantRef;
  version: number;
  enabled: boolean;
  idp: StoredIdp | null;
  /** Every configured IdP signing certificate, parsed once. */
  idpKeys: KeyObject[];
  sp: SpUrls & {
    certificatePem: string;
    /** The certificate's base64 DER, as a KeyInfo X509Certificate carries it. */
    certificateBase64: string;
    privateKeyPem: string;
    privateKey: KeyObject;
  };
  options: Omit<SsoOptions, 'domains'>;
}
