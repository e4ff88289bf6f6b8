import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { decoratedMethods } from '../common/decorated-methods';
import type { TenantRef } from '../tenancy/tenant';

/**
 * Marks a method `(tenant, userId) => Promise<unknown>` that ends what a user holds in its module
 * (service sessions, the OpenID provider's grants and tokens). Deactivation and deletion run every
 * such method, whichever path deactivates (Users API, SCIM), so a later reactivation revives none of
 * it; provisioning needs to know none of the modules that hold a user's access. The option names
 * what the method ends.
 */
export const EndsUserAccess = DiscoveryService.createDecorator<string>();

type EndAccess = (tenant: TenantRef, userId: string) => Promise<unknown>;

@Injectable()
export class UserAccess {
  private enders: EndAccess[] | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Ends every session, grant and token of the user, in every module that keeps some. */
  async end(tenant: TenantRef, userId: string): Promise<void> {
    await Promise.all(this.holders().map((endAccess) => endAccess(tenant, userId)));
  }

  private holders(): EndAccess[] {
    this.enders ??= decoratedMethods<string, EndAccess>(this.discovery, this.scanner, EndsUserAccess).map(({ method }) => method);
    return this.enders;
  }
}
