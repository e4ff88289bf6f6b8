import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { percentile } from './latency';
import type { OktaLikeIdp, ServiceProviderTarget, SignedLogin } from './okta-like-idp';

export interface NodeSamlBaseline {
  validations: number;
  failures: number;
  firstFailure: string | null;
  meanCpuUs: number;
  medianCpuUs: number;
  /** The mean of each measuring round, in order: how much the machine moved during the run. */
  roundMeansCpuUs: number[];
}

/**
 * The reference cost: `@node-saml/node-saml` validating responses in this process, one at a time,
 * with InResponseTo validation off and so no request or replay cache. Each validation's CPU is
 * process.cpuUsage() around it (user + system, all threads); warm-up validations are not timed.
 */
export class NodeSamlReference {
  private readonly saml: SAML;
  private readonly cpuUs: number[] = [];
  private readonly roundMeansCpuUs: number[] = [];
  private failures = 0;
  private firstFailure: string | null = null;

  constructor(idp: OktaLikeIdp, sp: ServiceProviderTarget) {
    this.saml = new SAML({
      callbackUrl: sp.acsUrl,
      issuer: sp.entityId,
      audience: sp.entityId,
      idpCert: idp.certificatePem,
      idpIssuer: idp.entityId,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.never,
      acceptedClockSkewMs: 120_000,
    });
  }

  async warmUp(logins: readonly SignedLogin[]): Promise<void> {
    for (const login of logins) await this.validate(login);
  }

  async measure(logins: readonly SignedLogin[]): Promise<void> {
    let roundUs = 0;
    for (const login of logins) {
      const before = process.cpuUsage();
      const failure = await this.validate(login);
      const spent = process.cpuUsage(before);
      this.cpuUs.push(spent.user + spent.system);
      roundUs += spent.user + spent.system;
      if (failure !== null) {
        this.failures += 1;
        this.firstFailure ??= failure;
      }
    }
    if (logins.length > 0) this.roundMeansCpuUs.push(roundUs / logins.length);
  }

  summary(): NodeSamlBaseline {
    const sorted = [...this.cpuUs].sort((a, b) => a - b);
    return {
      validations: sorted.length,
      failures: this.failures,
      firstFailure: this.firstFailure,
      meanCpuUs: sorted.reduce((total, value) => total + value, 0) / Math.max(1, sorted.length),
      medianCpuUs: percentile(sorted, 50),
      roundMeansCpuUs: this.roundMeansCpuUs,
    };
  }

  /** Null when node-saml accepted the response for the expected user, else why not. */
  private async validate(login: SignedLogin): Promise<string | null> {
    try {
      const { profile } = await this.saml.validatePostResponseAsync({ SAMLResponse: login.samlResponse });
      if (profile?.nameID !== login.email) return `accepted, but for "${profile?.nameID ?? '(no profile)'}"`;
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
