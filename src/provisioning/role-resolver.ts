import { Role, ROLE_RANK, RoleMappingEntry } from '../sso-config/sso-config.types';

/** The highest role any of the user's groups maps to; the default when none does. Groups match case-insensitively. */
export function roleForGroups(groups: string[], roleMapping: RoleMappingEntry[], defaultRole: Role): Role {
  const memberOf = new Set(groups.map((group) => group.toLowerCase()));
  let best: Role | null = null;
  for (const { group, role } of roleMapping) {
    if (memberOf.has(group.toLowerCase()) && (best === null || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best ?? defaultRole;
}
