import { roleForGroups } from './role-resolver';

describe('roleForGroups', () => {
  const mapping = [
    { group: 'viewers', role: 'viewer' as const },
    { group: 'Cloud-Admins', role: 'admin' as const },
    { group: 'engineers', role: 'member' as const },
  ];

  it('gives the highest role among the mapped groups', () => {
    expect(roleForGroups(['viewers', 'engineers'], mapping, 'viewer')).toBe('member');
    expect(roleForGroups(['viewers', 'cloud-admins', 'engineers'], mapping, 'viewer')).toBe('admin');
  });

  it('falls back to the default role', () => {
    expect(roleForGroups(['unmapped'], mapping, 'viewer')).toBe('viewer');
    expect(roleForGroups([], [], 'member')).toBe('member');
  });
});
