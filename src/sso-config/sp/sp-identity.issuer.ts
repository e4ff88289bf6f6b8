import { Injectable } from '@nestjs/common';
import type { TenantRef } from '../../tenancy/tenant';
import type { SsoConfigEntity } from '../sso-config.entities';
import { SecretBox, tenantSecretContext } from './secret-box';
import { generateSpIdentity } from './sp-identity';

export type StoredSpIdentity = Pick<SsoConfigEntity, 'spCertificate' | 'spPrivateKeySealed'>;

/** A tenant's own SP certificate and key, the key sealed for that tenant's row only. */
@Injectable()
export class SpIdentityIssuer {
  constructor(private readonly secrets: SecretBox) {}

  issue(tenant: TenantRef): StoredSpIdentity {
    const identity = generateSpIdentity(`sso-${tenant.type}-${tenant.id}`);
    return {
      spCertificate: identity.certificatePem,
      // Bound to the tenant: the sealed key opens only for this tenant's row.
      spPrivateKeySealed: this.secrets.seal(identity.privateKeyPem, tenantSecretContext(tenant)),
    };
  }
}
