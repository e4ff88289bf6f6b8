import { Injectable } from '@nestjs/common';
import type { TenantRef } from '../tenancy/tenant';

type Listener = (tenant: TenantRef) => void;

/**
 * Tells this instance's caches that a tenant's settings changed. Other instances notice through
 * the version column (see the SAML config cache), so this is a fast path, not the only one.
 */
@Injectable()
export class SsoConfigChangeNotifier {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(tenant: TenantRef): void {
    for (const listener of this.listeners) listener(tenant);
  }
}
