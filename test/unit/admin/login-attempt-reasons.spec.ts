import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceTextModule } from 'node:vm';
import { PAGES_PUBLIC_DIR } from '../../../src/admin/page-files';
import { LOGIN_FAILURE_REASONS } from '../../../src/saml/login/login-failure';

/** The page's module as the browser runs it (it imports nothing), evaluated in a context of its own. */
async function explainedReasons(): Promise<string[]> {
  const source = readFileSync(join(PAGES_PUBLIC_DIR, 'assets', 'login-attempt-reasons.js'), 'utf8');
  const module = new SourceTextModule(source);
  await module.link(() => {
    throw new Error('login-attempt-reasons.js is expected to import nothing');
  });
  await module.evaluate();
  return Object.keys((module.namespace as { FAILURE_EXPLANATIONS: Record<string, string> }).FAILURE_EXPLANATIONS);
}

describe('the reasons the admin page explains', () => {
  it('are exactly the reasons the service records, internal_error included', async () => {
    const explained = await explainedReasons();
    expect([...explained].sort()).toEqual([...LOGIN_FAILURE_REASONS].sort());
    expect(explained).toContain('internal_error');
  });
});
