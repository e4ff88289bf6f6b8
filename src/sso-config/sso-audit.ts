import { createHash } from 'node:crypto';
import { describePrincipal, Principal } from '../tenancy/principal';
import type { StoredIdp } from './sso-config.types';

export interface AuditActor {
  actorType: string;
  actorId: string | null;
}

/** Who a change is recorded against: the caller's credential, or the service itself (scheduled work). */
export function auditActorOf(principal: Principal | null): AuditActor {
  return principal ? describePrincipal(principal) : { actorType: 'system', actorId: null };
}

/**
 * Certificates are recorded by fingerprint: the audit log never holds a certificate or a key. The
 * format is the settings' `fingerprintSha256` (X509Certificate.fingerprint256: upper-case hex pairs
 * joined by colons, as Okta and Entra ID display it), so one certificate reads the same everywhere.
 */
export function fingerprint(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** What the audit log records of an IdP configuration. */
export function idpAuditSummary(idp: StoredIdp | null, metadataUrl: string | null) {
  if (!idp) return null;
  return {
    entityId: idp.entityId,
    ssoUrl: idp.ssoUrl,
    sloUrl: idp.sloUrl,
    metadataUrl,
    certificates: idp.certificates.map(fingerprint),
  };
}
