import type { AuditChange, SsoConfigEntity } from './sso-config.entities';
import { AttributeMapping, DEFAULT_ATTRIBUTE_MAPPING, Role, RoleMappingEntry, ROLES } from './sso-config.types';

/**
 * What values an option accepts. The settings DTO turns each kind into its validators and its
 * OpenAPI schema; the column type follows from it too.
 */
export type OptionRule =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'domainList'; maxItems: number }
  | { kind: 'attributeMapping' }
  | { kind: 'roleMapping'; maxItems: number };

export interface OptionSpec<T, Column extends string | null = string | null> {
  rule: OptionRule;
  default: T;
  /** The sso_configs column that stores it; null for the tenant's domains, which are claims of the domains module. */
  column: Column;
  /** For people: the OpenAPI description. The audit log names the option itself. */
  label: string;
  /** How a PATCH value combines with the stored one; by default it replaces it. */
  merge?: (stored: T, patch: Partial<T>) => T;
}

/** Names the value type, which a literal default alone would widen or narrow. */
const option = <T, Column extends string | null = string>(spec: OptionSpec<T, Column>) => spec;

const flag = (column: string, value: boolean, label: string) => option<boolean>({ rule: { kind: 'boolean' }, default: value, column, label });

const domainList = <Column extends string | null>(column: Column, label: string) =>
  option<string[], Column>({ rule: { kind: 'domainList', maxItems: 100 }, default: [], column, label });

/** The twelve tenant options: this is the one place that lists them. */
export const SSO_OPTIONS = {
  attributeMapping: option<AttributeMapping>({
    rule: { kind: 'attributeMapping' },
    default: DEFAULT_ATTRIBUTE_MAPPING,
    column: 'attribute_mapping',
    label: 'Which assertion attribute carries the email, first name, last name and groups (a PATCH changes only the keys it names)',
    merge: (stored, patch) => ({ ...stored, ...definedEntries(patch) }),
  }),
  roleMapping: option<RoleMappingEntry[]>({
    rule: { kind: 'roleMapping', maxItems: 200 },
    default: [],
    column: 'role_mapping',
    label: 'IdP groups turned into roles; the highest wins, else defaultRole',
  }),
  defaultRole: option<Role>({
    rule: { kind: 'oneOf', values: ROLES },
    default: 'member',
    column: 'default_role',
    label: 'The role of a user no mapped group names',
  }),
  justInTimeProvisioning: flag('just_in_time_provisioning', true, 'Create users at their first SSO login'),
  enforceSso: flag('enforce_sso', false, 'Users of the claimed domains must sign in through SSO'),
  groupsOverrideRole: flag('groups_override_role', true, 'Recompute the role from the groups at every login'),
  allowIdpInitiated: flag('allow_idp_initiated', true, 'Accept assertions without InResponseTo (IdP-initiated sign-in)'),
  clockSkewSeconds: option<number>({
    rule: { kind: 'integer', min: 0, max: 600 },
    default: 120,
    column: 'clock_skew_seconds',
    label: 'Tolerance, in seconds, on the time conditions of an assertion',
  }),
  allowSha1Signatures: flag('allow_sha1_signatures', false, 'Accept RSA-SHA1 signatures from an IdP that still needs them'),
  allowCbcEncryption: flag('allow_cbc_encryption', false, 'Accept AES-CBC encrypted assertions from an IdP that still needs them'),
  domains: domainList(null, 'The email domains this tenant claims'),
  allowedEmailDomains: domainList('allowed_email_domains', 'When not empty, the only email domains an assertion may carry'),
};

type Options = typeof SSO_OPTIONS;
export type SsoOptionName = keyof Options;
type ValueOf<Spec> = Spec extends OptionSpec<infer T, string | null> ? T : never;

/** The tunable part of the settings: what PATCH changes. */
export type SsoOptions = { [Name in SsoOptionName]: ValueOf<Options[Name]> };

/** The options kept in sso_configs columns (all but the domains). */
export type StoredOptionName = { [Name in SsoOptionName]: Options[Name]['column'] extends string ? Name : never }[SsoOptionName];
export type StoredSsoOptions = Pick<SsoOptions, StoredOptionName>;

export type SsoOptionsPatch = { [Name in SsoOptionName]?: Name extends 'attributeMapping' ? Partial<AttributeMapping> : SsoOptions[Name] };

export const OPTION_NAMES = Object.keys(SSO_OPTIONS) as SsoOptionName[];

export function optionSpec(name: SsoOptionName): OptionSpec<unknown> {
  return SSO_OPTIONS[name] as OptionSpec<unknown>;
}

/** Each stored option with its column, for the entity mapping. */
export function storedOptionColumns(): { name: StoredOptionName; column: string; rule: OptionRule }[] {
  return OPTION_NAMES.flatMap((name) => {
    const { column, rule } = optionSpec(name);
    return column === null ? [] : [{ name: name as StoredOptionName, column, rule }];
  });
}

/** The options of a tenant that just enabled SSO (fresh copies: defaults are never shared). */
export function defaultStoredOptions(): StoredSsoOptions {
  return Object.fromEntries(
    storedOptionColumns().map(({ name }) => [name, structuredClone(optionSpec(name).default)]),
  ) as StoredSsoOptions;
}

/** The tunable settings of a stored configuration (domains live in their own table). */
export function optionsOf(config: SsoConfigEntity): StoredSsoOptions {
  return Object.fromEntries(storedOptionColumns().map(({ name }) => [name, config[name]])) as StoredSsoOptions;
}

/** The options after a PATCH: absent fields keep their value. */
export function applyPatch(current: SsoOptions, patch: SsoOptionsPatch): SsoOptions {
  const next: Record<string, unknown> = { ...current };
  for (const name of OPTION_NAMES) {
    const value = patch[name];
    if (value === undefined) continue;
    const { merge } = optionSpec(name);
    next[name] = merge ? merge(current[name], value) : value;
  }
  return next as SsoOptions;
}

/** The audit log's account of a change: one entry per option whose value differs. */
export function diffOptions(before: SsoOptions, after: SsoOptions): AuditChange[] {
  return OPTION_NAMES.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).map((name) => ({
    field: name,
    old: before[name],
    new: after[name],
  }));
}

/** The part of the options that goes to sso_configs columns. */
export function storedPart(options: SsoOptions): StoredSsoOptions {
  return Object.fromEntries(storedOptionColumns().map(({ name }) => [name, options[name]])) as StoredSsoOptions;
}

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
