import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { OPTION_NAMES, optionSpec } from '../../sso-config/sso-options';
import { UpdateSsoSettingsDto } from './sso-settings.dto';

async function problemsOf(body: object): Promise<string[]> {
  const errors = await validate(plainToInstance(UpdateSsoSettingsDto, body), { whitelist: true, forbidNonWhitelisted: true });
  return errors.map((error) => error.property);
}

describe('the PATCH body, derived from the options description', () => {
  it('validates every option as its description says: its default passes, null does not', async () => {
    for (const name of OPTION_NAMES) {
      expect({ name, problems: await problemsOf({ [name]: optionSpec(name).default }) }).toEqual({ name, problems: [] });
      expect({ name, problems: await problemsOf({ [name]: null }) }).toEqual({ name, problems: [name] });
    }
    expect(await problemsOf({ clockSkewSeconds: 601 })).toEqual(['clockSkewSeconds']);
    expect(await problemsOf({ defaultRole: 'owner' })).toEqual(['defaultRole']);
    expect(await problemsOf({ unknownOption: true })).toEqual(['unknownOption']);
  });

});
