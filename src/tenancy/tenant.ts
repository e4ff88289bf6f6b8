export const TENANT_TYPES = ['organization', 'partner'] as const;
export type TenantType = (typeof TENANT_TYPES)[number];

export interface TenantRef {
  type: TenantType;
  id: string;
}

/** How the kind is written in `/api/v1/{organizations|partners}/…`. */
export const TENANT_TYPE_BY_PLURAL: Record<string, TenantType> = { organizations: 'organization', partners: 'partner' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
