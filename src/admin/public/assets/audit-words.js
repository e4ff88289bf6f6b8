// @ts-check

/**
 * The audit log in sentences: "Ada Admin changed the default role from Member to Viewer." The
 * names of settings are the labels of the settings page. Imports nothing.
 */

/** @typedef {{ type: string, id: string | null, name?: string, email?: string }} AuditActor */
/** @typedef {{ field: string, old: unknown, new: unknown }} AuditChange */
/** @typedef {{ at: string, actor: AuditActor, action: string, changes: AuditChange[] }} AuditEntry */

const ROLE_NAMES = /** @type {Record<string, string>} */ ({ admin: 'Admin', member: 'Member', viewer: 'Viewer' });

/** On/off settings: what is turned on or off. */
const SWITCHES = /** @type {Record<string, string>} */ ({
  enabled: 'single sign-on',
  justInTimeProvisioning: 'just-in-time provisioning (creating users at their first sign-in)',
  enforceSso: 'SSO enforcement for the verified domains',
  groupsOverrideRole: '“Groups override the role”',
  allowIdpInitiated: 'IdP-initiated sign-in',
  allowSha1Signatures: 'accepting SHA-1 signatures',
  allowCbcEncryption: 'accepting AES-CBC encrypted assertions',
});

const ATTRIBUTE_NAMES = /** @type {Record<string, string>} */ ({ email: 'Email', firstName: 'First Name', lastName: 'Last Name', groups: 'Groups' });

const DOMAIN_ACTIONS = /** @type {Record<string, string>} */ ({
  'domain.claimed': 'added the domain',
  'domain.deleted': 'removed the domain',
  'domain.verified': 'verified the domain',
  'domain.verified_manually': 'verified the domain without DNS (as the platform operator)',
  'domain.verification_failed': 'tried to verify the domain',
  'domain.verification_lapsed': 'saw the DNS record disappear, so it stopped routing, for the domain',
});

/**
 * Who made the change, by name when the service knows it.
 * @param {AuditActor} actor
 */
export function actorInWords(actor) {
  switch (actor.type) {
    case 'platform':
      return 'The platform operator';
    case 'api_key':
      return actor.name ? `The API key “${actor.name}”` : 'An API key that no longer exists';
    case 'user':
      return actor.name && actor.email && actor.name !== actor.email ? `${actor.name} (${actor.email})` : actor.name ?? 'A user who no longer exists';
    case 'system':
      return 'The daily refresh';
    case 'unverified_message':
      return 'An unverified SAML message';
    default:
      return actor.type;
  }
}

/**
 * One sentence per change of the entry, each starting with the actor.
 * @param {AuditEntry} entry
 * @returns {string[]}
 */
export function auditEntryInWords(entry) {
  const who = actorInWords(entry.actor);
  switch (entry.action) {
    case 'enable':
      return [`${who} turned single sign-on on${entry.changes.some((change) => change.field === 'serviceProvider.certificate') ? ' and created the service provider keys' : ''}.`];
    case 'disable':
      return [`${who} turned single sign-on off.`];
    case 'delete':
      return [`${who} removed the single sign-on configuration and the service provider keys.`];
    case 'identity_provider':
      return [`${who} ${identityProviderChange(entry.changes[0])}.`];
    case 'identity_provider_refresh':
      return [`${who} fetched the identity provider's metadata again, and it had changed: ${identityProviderDifferences(entry.changes[0]) || 'see the details'}.`];
    case 'single_logout':
      return [`${who} ${singleLogout(entry.changes)}.`];
    default:
      if (entry.action in DOMAIN_ACTIONS) {
        const change = entry.changes[0];
        const domain = change?.field.replace(/^domains\./, '') ?? '';
        return [`${who} ${DOMAIN_ACTIONS[entry.action]} ${domain}${change && change.new !== null ? ` (now ${String(change.new).replace(/_/g, ' ')})` : ''}.`];
      }
      if (entry.changes.length === 0) return [`${who}: ${entry.action}.`];
      return entry.changes.map((change) => `${who} ${optionChange(change)}.`);
  }
}

/** @param {AuditChange} change */
function optionChange(change) {
  const { field, old: before, new: after } = change;
  if (field in SWITCHES) return `turned ${SWITCHES[field]} ${after ? 'on' : 'off'}`;
  switch (field) {
    case 'defaultRole':
      return `changed the default role from ${roleName(before)} to ${roleName(after)}`;
    case 'clockSkewSeconds':
      return `changed the allowed clock skew from ${before} to ${after} seconds`;
    case 'attributeMapping':
      return `changed the attribute mapping: ${attributeDifferences(before, after)}`;
    case 'roleMapping':
      return `changed the groups to roles: ${roleMappingInWords(after)}`;
    case 'allowedEmailDomains':
      return `changed the allowed email domains to ${listInWords(after, 'any domain')}`;
    case 'domains':
      return `changed the domains to ${listInWords(after, 'none')}`;
    default:
      return `changed ${field} from ${shortValue(before)} to ${shortValue(after)}`;
  }
}

/** @param {unknown} role */
function roleName(role) {
  return typeof role === 'string' ? ROLE_NAMES[role] ?? role : 'none';
}

/**
 * @param {unknown} before
 * @param {unknown} after
 */
function attributeDifferences(before, after) {
  const old = /** @type {Record<string, string>} */ (before ?? {});
  const next = /** @type {Record<string, string>} */ (after ?? {});
  const changed = Object.keys(next).filter((key) => old[key] !== next[key]);
  return changed.map((key) => `${ATTRIBUTE_NAMES[key] ?? key} from ${old[key] ?? 'none'} to ${next[key]}`).join(', ') || 'no difference';
}

/** @param {unknown} mapping */
function roleMappingInWords(mapping) {
  const entries = Array.isArray(mapping) ? /** @type {{ group: string, role: string }[]} */ (mapping) : [];
  return entries.length === 0 ? 'no group is mapped' : entries.map((entry) => `${entry.group} → ${roleName(entry.role)}`).join(', ');
}

/**
 * @param {unknown} list
 * @param {string} empty
 */
function listInWords(list, empty) {
  return Array.isArray(list) && list.length > 0 ? list.join(', ') : empty;
}

/** @param {unknown} value */
function shortValue(value) {
  const text = value === null || value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** @typedef {{ entityId: string, ssoUrl: string, sloUrl: string | null, metadataUrl: string | null, certificates: string[] } | null} IdpSummary */

/** @param {AuditChange | undefined} change */
function identityProviderChange(change) {
  const before = /** @type {IdpSummary} */ (change?.old ?? null);
  const after = /** @type {IdpSummary} */ (change?.new ?? null);
  if (!after) return 'removed the identity provider';
  const source = after.metadataUrl ? `from its metadata URL ${after.metadataUrl}` : `(entity ID ${after.entityId})`;
  if (!before) return `set the identity provider ${source}`;
  const differences = identityProviderDifferences(change);
  return `replaced the identity provider ${source}${differences ? `: ${differences}` : ', with no difference'}`;
}

/** @param {AuditChange | undefined} change */
function identityProviderDifferences(change) {
  const before = /** @type {IdpSummary} */ (change?.old ?? null);
  const after = /** @type {IdpSummary} */ (change?.new ?? null);
  if (!before || !after) return '';
  /** @type {string[]} */
  const parts = [];
  if (before.entityId !== after.entityId) parts.push(`entity ID from ${before.entityId} to ${after.entityId}`);
  if (before.ssoUrl !== after.ssoUrl) parts.push(`single sign-on URL from ${before.ssoUrl} to ${after.ssoUrl}`);
  if (before.sloUrl !== after.sloUrl) parts.push(`single logout URL from ${before.sloUrl ?? 'none'} to ${after.sloUrl ?? 'none'}`);
  const added = after.certificates.filter((fingerprint) => !before.certificates.includes(fingerprint));
  const removed = before.certificates.filter((fingerprint) => !after.certificates.includes(fingerprint));
  if (added.length > 0) parts.push(`new signing certificate ${added.join(', ')}`);
  if (removed.length > 0) parts.push(`signing certificate ${removed.join(', ')} no longer used`);
  return parts.join('; ');
}

/** @param {AuditChange[]} changes */
function singleLogout(changes) {
  const outcome = changes.find((change) => change.field === 'outcome')?.new;
  if (outcome === 'success') return 'signed out through the identity provider';
  if (outcome === 'not_confirmed') return 'asked to sign out, but the identity provider did not confirm it';
  return `answered a sign-out (${changes.map((change) => `${change.field}: ${shortValue(change.new)}`).join(', ')})`;
}
