import 'reflect-metadata';
import { getMetadataArgsStorage } from 'typeorm';
import { SsoConfigEntity } from './sso-config.entities';
import { applyPatch, defaultStoredOptions, diffOptions, OPTION_NAMES, SsoOptions, storedOptionColumns } from './sso-options';

const defaults = (): SsoOptions => ({ ...defaultStoredOptions(), domains: [] });

describe('the tenant options, described once', () => {
  it('maps every stored option to its column of sso_configs, and nothing else', () => {
    const optionColumns = getMetadataArgsStorage()
      .columns.filter((column) => column.target === SsoConfigEntity && OPTION_NAMES.includes(column.propertyName as never))
      .map((column) => [column.propertyName, column.options.name]);
    expect(optionColumns.sort()).toEqual(storedOptionColumns().map(({ name, column }) => [name, column]).sort());
    expect(storedOptionColumns().map(({ name }) => name)).toEqual(OPTION_NAMES.filter((name) => name !== 'domains'));
  });

  it('gives each new configuration its own copy of the defaults', () => {
    const first = defaultStoredOptions();
    first.roleMapping.push({ group: 'admins', role: 'admin' });
    first.attributeMapping.email = 'mail';
    expect(defaultStoredOptions()).toMatchObject({ roleMapping: [], attributeMapping: { email: 'User.Email' }, clockSkewSeconds: 120 });
  });

  it('merges a partial attribute mapping, replaces the other options, and audits only what changed', () => {
    const before = defaults();
    const after = applyPatch(before, { attributeMapping: { email: 'mail' }, clockSkewSeconds: 30, enforceSso: undefined });
    expect(after.attributeMapping).toEqual({ ...before.attributeMapping, email: 'mail' });
    expect(after.enforceSso).toBe(before.enforceSso);
    expect(diffOptions(before, after)).toEqual([
      { field: 'attributeMapping', old: before.attributeMapping, new: after.attributeMapping },
      { field: 'clockSkewSeconds', old: 120, new: 30 },
    ]);
    expect(diffOptions(before, applyPatch(before, { defaultRole: 'member' }))).toEqual([]);
  });
});
