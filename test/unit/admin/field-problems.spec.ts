import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceTextModule } from 'node:vm';
import { PAGES_PUBLIC_DIR } from '../../../src/admin/page-files';
import { IDP_CONFIG_ERROR_CODES } from '../../../src/sso-config/idp/idp-config.error';
import {
  AttributeMappingDto,
  IdentityProviderDto,
  LoginAttemptsQueryDto,
  RoleMappingEntryDto,
  UpdateSsoSettingsDto,
} from '../../../src/sso-settings/dto/sso-settings.dto';

type Words = Record<string, (label: string, context: object) => string>;

/** The page's module as the browser runs it (it imports nothing), evaluated in a context of its own. */
async function pageWords(): Promise<{ RULE_WORDS: Words; REASON_WORDS: Words }> {
  const module = new SourceTextModule(readFileSync(join(PAGES_PUBLIC_DIR, 'assets', 'field-problems.js'), 'utf8'));
  await module.link(() => {
    throw new Error('field-problems.js is expected to import nothing');
  });
  await module.evaluate();
  return module.namespace as { RULE_WORDS: Words; REASON_WORDS: Words };
}

/** The rules the settings DTOs validate with, as the 400 answer's codes name them (bootstrap.ts: snake_case). */
function ruleCodesOfTheDtos(): string[] {
  const storage = getMetadataStorage();
  const rules = [IdentityProviderDto, UpdateSsoSettingsDto, AttributeMappingDto, RoleMappingEntryDto, LoginAttemptsQueryDto].flatMap((dto) =>
    storage
      .getTargetValidationMetadatas(dto, '', true, false)
      .filter((metadata) => metadata.type === 'customValidation' && metadata.name)
      .map((metadata) => metadata.name!.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)),
  );
  return [...new Set(rules), 'whitelist_validation'].sort();
}

describe('the words the settings pages give a problem', () => {
  it("cover every reason the service refuses an identity provider for, and the settings' other reasons", async () => {
    const { REASON_WORDS } = await pageWords();
    for (const code of [...IDP_CONFIG_ERROR_CODES, 'exactly_one_source', 'no_metadata_url']) expect(REASON_WORDS).toHaveProperty([code]);
  });

  it('cover every rule the settings DTOs validate with', async () => {
    const { RULE_WORDS } = await pageWords();
    const codes = ruleCodesOfTheDtos();
    expect(codes).toEqual(expect.arrayContaining(['is_not_empty', 'is_in', 'max', 'matches']));
    for (const code of codes) expect(RULE_WORDS).toHaveProperty([code]);
  });

  it('never name a field by its API path', async () => {
    const { RULE_WORDS, REASON_WORDS } = await pageWords();
    const context = { field: 'roleMapping.2.group', control: null, message: 'The metadata could not be fetched: words.', inMetadata: false };
    for (const words of [...Object.values(RULE_WORDS), ...Object.values(REASON_WORDS)]) {
      expect(words('Group, row 3', context)).not.toMatch(/roleMapping|metadataXml|metadataUrl|ssoUrl|entityId|\bshould\b/);
    }
  });
});
