import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { ForbiddenError, NotFoundError } from '../common/domain-errors';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SsoConfigRepository } from '../sso-config/sso-config.repository';
import { describePrincipal, Principal } from '../tenancy/principal';
import { TenancyService } from '../tenancy/tenancy.service';
import type { TenantRef } from '../tenancy/tenant';
import { DomainClaimEntity, DomainFailureReason } from './domain-claim.entity';
import { DomainClaimsRepository } from './domain-claims.repository';
import { lookupSpelling, normalizeDomain } from './domain-name';
import { DomainError, DomainRefusal, DomainTakenError } from './domain.errors';
import { TxtLookup } from './txt-lookup';

export const VERIFICATION_PREFIX = '_sso-verification.';
export const VERIFICATION_VALUE_PREFIX = 'sso-verification=';
const RECHECKS_PER_PASS = 50;

export interface DomainView {
  domain: string;
  status: DomainClaimEntity['status'];
  verification: { type: 'TXT'; name: string; value: string };
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  reason: DomainFailureReason | null;
}

type Actor = Principal | null;

/**
 * Claims on email domains and their proof by a DNS TXT record: the one answer, service-wide, to
 * "which tenant owns this domain". A domain routes nobody until it is verified.
 */
@Injectable()
export class DomainsService {
  private readonly logger = new Logger(DomainsService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly claims: DomainClaimsRepository,
    private readonly dns: TxtLookup,
    private readonly tenancy: TenancyService,
    private readonly audit: SsoConfigRepository,
  ) {}

  async list(tenant: TenantRef): Promise<DomainView[]> {
    return (await this.claims.listOf(tenant)).map(toView);
  }

  /** Every domain the tenant claims, whatever its status (`Settings.domains`). */
  async namesOf(tenant: TenantRef): Promise<string[]> {
    return (await this.claims.listOf(tenant)).map((claim) => claim.domain);
  }

  /** The tenant that verified this domain, if any: the only input routing may use. */
  async verifiedOwnerOf(domain: string): Promise<TenantRef | null> {
    // The email's spelling (Unicode, any case) is compared as claims are stored: the A-label.
    const name = lookupSpelling(domain);
    const claim = name === null ? null : await this.claims.findVerified(name);
    return claim ? { type: claim.tenantType, id: claim.tenantId } : null;
  }

  async verifiedNamesOf(tenant: TenantRef): Promise<string[]> {
    return (await this.claims.listOf(tenant)).filter((claim) => claim.status === 'verified').map((claim) => claim.domain);
  }

  async claim(tenant: TenantRef, input: string, actor: Actor): Promise<DomainView> {
    const domain = normalizeDomain(input);
    await this.refuseIfVerifiedElsewhere(tenant, domain, actor);
    const claim: DomainClaimEntity = {
      id: randomUUID(),
      tenantType: tenant.type,
      tenantId: tenant.id,
      domain,
      token: randomBytes(20).toString('hex'),
      status: 'pending',
      reason: null,
      verifiedBy: null,
      verifiedAt: null,
      lastCheckedAt: null,
      recordMissingSince: null,
      createdAt: new Date(),
    };
    if (await this.claims.insertIfAbsent(claim)) {
      await this.record(tenant, actor, 'domain.claimed', domain, null, 'pending');
      return toView(claim);
    }
    return toView((await this.claims.find(tenant, domain))!);
  }

  /**
   * Refuses, before anything is written, a list of domains that `replaceClaims` would refuse: for
   * PATCH {base} {domains}, which changes other settings in the same request. True when the list
   * differs from the tenant's claims.
   */
  async checkClaims(tenant: TenantRef, domains: string[], actor: Actor): Promise<boolean> {
    const wanted = this.normalizeForSettings(domains);
    for (const domain of wanted) await this.refuseIfVerifiedElsewhere(tenant, domain, actor, 'domains');
    const current = await this.namesOf(tenant);
    return wanted.length !== current.length || wanted.some((domain) => !current.includes(domain));
  }

  /** Makes the tenant's claims exactly `domains` (PATCH {base} {domains}): new ones pending, others removed. */
  async replaceClaims(tenant: TenantRef, domains: string[], actor: Actor): Promise<void> {
    const wanted = this.normalizeForSettings(domains);
    for (const domain of wanted) await this.refuseIfVerifiedElsewhere(tenant, domain, actor, 'domains');
    const current = (await this.claims.listOf(tenant)).map((claim) => claim.domain);
    for (const domain of wanted.filter((name) => !current.includes(name))) await this.claim(tenant, domain, actor);
    for (const domain of current.filter((name) => !wanted.includes(name))) await this.remove(tenant, domain, actor);
  }

  async remove(tenant: TenantRef, input: string, actor: Actor): Promise<void> {
    const domain = spellingOf(input);
    const claim = await this.claims.find(tenant, domain);
    if (!claim || (await this.claims.delete(tenant, [domain])) === 0) throw new NotFoundError('This tenant does not claim that domain');
    await this.record(tenant, actor, 'domain.deleted', domain, claim.status, null);
  }

  /**
   * Looks the record up now. `manual` (the platform operator only) verifies without DNS. The
   * answer is the claim after the attempt; its status says whether it worked.
   */
  async verify(tenant: TenantRef, input: string, method: 'dns' | 'manual', actor: Actor): Promise<DomainView> {
    const domain = spellingOf(input);
    const claim = await this.claims.find(tenant, domain);
    if (!claim) throw new NotFoundError('This tenant does not claim that domain');
    if (method === 'manual' && actor?.kind !== 'platform') {
      throw new ForbiddenError('Only the platform operator may verify a domain without DNS');
    }
    // Idempotent: a verified domain stays verified until a re-check finds its record gone for good.
    if (claim.status === 'verified') return toView(claim);
    const now = new Date();
    const outcome = method === 'manual' ? null : await this.lookUp(claim);
    if (outcome) {
      await this.claims.markFailed(claim.id, outcome, now);
      await this.record(tenant, actor, 'domain.verification_failed', domain, claim.status, 'failed', outcome);
      return toView({ ...claim, status: 'failed', reason: outcome, lastCheckedAt: now, verifiedAt: null });
    }
    if (!(await this.claims.markVerified(claim, method, now))) {
      await this.claims.markFailed(claim.id, 'domain_taken', now);
      await this.record(tenant, actor, 'domain.verification_failed', domain, claim.status, 'failed', 'domain_taken');
      return toView({ ...claim, status: 'failed', reason: 'domain_taken', lastCheckedAt: now, verifiedAt: null });
    }
    await this.record(tenant, actor, method === 'manual' ? 'domain.verified_manually' : 'domain.verified', domain, claim.status, 'verified');
    return toView({ ...claim, status: 'verified', reason: null, verifiedBy: method, verifiedAt: now, lastCheckedAt: now, recordMissingSince: null });
  }

  /**
   * Housekeeping: looks up again the DNS-verified domains not checked for DOMAIN_RECHECK_HOURS. A record
   * missing for DOMAIN_GRACE_HOURS fails the domain, so a domain that lapsed (and may now belong to
   * someone else) stops routing. A DNS failure neither proves nor disproves, so it changes nothing.
   */
  async recheckDue(now: Date): Promise<{ checked: number; failed: number }> {
    const checkedBefore = new Date(now.getTime() - this.config.domainRecheckHours * 3600_000);
    const due = await this.claims.findVerifiedDueForRecheck(checkedBefore, RECHECKS_PER_PASS);
    let failed = 0;
    for (const claim of due) {
      const outcome = await this.lookUp(claim);
      const tenant: TenantRef = { type: claim.tenantType, id: claim.tenantId };
      if (outcome === null) {
        await this.claims.markChecked(claim.id, now, { recordMissingSince: null });
      } else if (outcome === 'dns_error') {
        await this.claims.markChecked(claim.id, now, { recordMissingSince: claim.recordMissingSince });
      } else {
        const missingSince = claim.recordMissingSince ?? now;
        if (now.getTime() - missingSince.getTime() >= this.config.domainGraceHours * 3600_000) {
          await this.claims.markFailed(claim.id, 'record_not_found', now);
          await this.record(tenant, null, 'domain.verification_lapsed', claim.domain, 'verified', 'failed', 'record_not_found');
          this.logger.warn({ msg: 'verified domain lost its record; it no longer routes', domain: claim.domain });
          failed++;
        } else {
          await this.claims.markChecked(claim.id, now, { recordMissingSince: missingSince });
        }
      }
    }
    return { checked: due.length, failed };
  }

  /** Null when the record proves the claim; else why not. */
  private async lookUp(claim: DomainClaimEntity): Promise<DomainFailureReason | null> {
    const answer = await this.dns.lookup(VERIFICATION_PREFIX + claim.domain);
    if (!answer.found) return answer.reason;
    const expected = VERIFICATION_VALUE_PREFIX + claim.token;
    if (answer.records.includes(expected)) return null;
    return answer.records.some((record) => record.startsWith(VERIFICATION_VALUE_PREFIX)) ? 'record_mismatch' : 'record_not_found';
  }

  /** The settings' list of domains, normalized; a refusal names the settings field. */
  private normalizeForSettings(domains: string[]): string[] {
    try {
      return [...new Set(domains.map(normalizeDomain))];
    } catch (error) {
      throw error instanceof DomainError ? new DomainError(error.code as DomainRefusal, error.message, 'domains') : error;
    }
  }

  private async refuseIfVerifiedElsewhere(tenant: TenantRef, domain: string, actor: Actor, field = 'domain'): Promise<void> {
    const owner = await this.claims.findVerified(domain);
    if (!owner || (owner.tenantType === tenant.type && owner.tenantId === tenant.id)) return;
    throw new DomainTakenError(await this.takenMessage(domain, { type: owner.tenantType, id: owner.tenantId }, actor), field);
  }

  /** Names the holder only to who may see it: the platform, or the partner of the holding organization. */
  private async takenMessage(domain: string, owner: TenantRef, actor: Actor): Promise<string> {
    const generic = `${domain} is already verified by another account`;
    // A setup link's visitor is handed one tenant, and learns nothing of the partner's other organizations.
    if (owner.type !== 'organization' || !actor || actor.kind === 'setupLink') return generic;
    const organization = await this.tenancy.getOrganization(owner.id).catch(() => null);
    if (!organization) return generic;
    const actorPartner = actor.kind === 'platform' ? organization.partnerId : actor.tenant.type === 'partner' ? actor.tenant.id : null;
    if (actor.kind !== 'platform' && (actorPartner === null || organization.partnerId !== actorPartner)) return generic;
    return `${domain} is already verified by your organization "${organization.name}" (${organization.id})`;
  }

  private async record(
    tenant: TenantRef,
    actor: Actor,
    action: string,
    domain: string,
    oldStatus: string | null,
    newStatus: string | null,
    reason?: DomainFailureReason,
  ): Promise<void> {
    const who = actor ? describePrincipal(actor) : { actorType: 'system', actorId: null };
    await this.audit.addAudit(tenant, who, action, [
      { field: `domains.${domain}`, old: oldStatus, new: reason ? `${newStatus} (${reason})` : newStatus },
    ]);
  }
}

/** A claimed name as a route names it (an IDN may come as its U-label): no validation, since only stored claims match. */
function spellingOf(input: string): string {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  return domainToASCII(name) || name;
}

function toView(claim: DomainClaimEntity): DomainView {
  return {
    domain: claim.domain,
    status: claim.status,
    verification: { type: 'TXT', name: VERIFICATION_PREFIX + claim.domain, value: VERIFICATION_VALUE_PREFIX + claim.token },
    verifiedAt: claim.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: claim.lastCheckedAt?.toISOString() ?? null,
    reason: claim.reason,
  };
}
