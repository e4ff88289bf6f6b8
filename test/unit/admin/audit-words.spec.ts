import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceTextModule } from 'node:vm';
import { PAGES_PUBLIC_DIR } from '../../../src/admin/page-files';
import { defaultStoredOptions, OPTION_NAMES, optionSpec } from '../../../src/sso-config/sso-options';

interface Entry {
  at: string;
  actor: { type: string; id: string | null; name?: string; email?: string };
  action: string;
  changes: { field: string; old: unknown; new: unknown }[];
}
type AuditWords = { auditEntryInWords: (entry: Entry) => string[]; actorInWords: (actor: Entry['actor']) => string };

/** The page's module as the browser runs it (it imports nothing), evaluated in a context of its own. */
async function auditWords(): Promise<AuditWords> {
  const module = new SourceTextModule(readFileSync(join(PAGES_PUBLIC_DIR, 'assets', 'audit-words.js'), 'utf8'));
  await module.link(() => {
    throw new Error('audit-words.js is expected to import nothing');
  });
  await module.evaluate();
  return module.namespace as AuditWords;
}

const ADA = { type: 'user', id: '9a1f…', name: 'Ada Admin', email: 'ada@example.com' };
const entry = (action: string, changes: Entry['changes'], actor: Entry['actor'] = ADA): Entry => ({ at: '2026-12-01T10:00:00Z', actor, action, changes });

describe('the audit log in words', () => {
  it('says who changed what, from what to what', async () => {
    const { auditEntryInWords } = await auditWords();
    expect(auditEntryInWords(entry('update', [{ field: 'defaultRole', old: 'member', new: 'viewer' }]))).toEqual([
      'Ada Admin (ada@example.com) changed the default role from Member to Viewer.',
    ]);
    expect(
      auditEntryInWords(
        entry('update', [{ field: 'enforceSso', old: false, new: true }], { type: 'api_key', id: 'k', name: 'Terraform' }),
      ),
    ).toEqual(['The API key “Terraform” turned SSO enforcement for the verified domains on.']);
  });

  it('puts a change of every option in words, never under its API name', async () => {
    const { auditEntryInWords } = await auditWords();
    const stored = defaultStoredOptions() as Record<string, unknown>;
    for (const name of OPTION_NAMES) {
      const before = stored[name] ?? optionSpec(name).default;
      const after = typeof before === 'boolean' ? !before : typeof before === 'number' ? before + 1 : before;
      const [sentence] = auditEntryInWords(entry('update', [{ field: name, old: before, new: after }]));
      expect(sentence).toMatch(/^Ada Admin \(ada@example\.com\) (changed|turned) /);
      // `domains` is a word of the sentence too; the camelCase names are the API's alone.
      if (/[A-Z]/.test(name)) expect(sentence).not.toContain(name);
    }
  });

  it('tells an identity provider replaced, with its new signing certificate by fingerprint', async () => {
    const { auditEntryInWords } = await auditWords();
    const idp = { entityId: 'https://idp.example', ssoUrl: 'https://idp.example/sso', sloUrl: null, metadataUrl: null, certificates: ['AA:BB'] };
    const [sentence] = auditEntryInWords(entry('identity_provider', [{ field: 'identityProvider', old: idp, new: { ...idp, certificates: ['AA:BB', 'CC:DD'] } }]));
    expect(sentence).toBe('Ada Admin (ada@example.com) replaced the identity provider (entity ID https://idp.example): new signing certificate CC:DD.');
  });

  it('names actors the service no longer knows for what they were', async () => {
    const { actorInWords } = await auditWords();
    expect(actorInWords({ type: 'api_key', id: 'gone' })).toBe('An API key that no longer exists');
    expect(actorInWords({ type: 'system', id: null })).toBe('The daily refresh');
    expect(actorInWords({ type: 'platform', id: null })).toBe('The platform operator');
  });
});
