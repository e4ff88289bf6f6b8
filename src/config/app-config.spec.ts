import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const dataDir = () => mkdtempSync(join(tmpdir(), 'sso-config-'));
const secrets = { PLATFORM_ADMIN_TOKEN: 'pat_0123456789abcdef0123', ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const config = loadConfig({ ...secrets, DATA_DIR: dataDir() });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://localhost:3000',
      databaseUrl: null,
      rateLimitPerMinute: 600,
      logFormat: 'auto',
    });
  });

  it('requires the token and the key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).toThrow(/PLATFORM_ADMIN_TOKEN is required/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir(), PLATFORM_ADMIN_TOKEN: secrets.PLATFORM_ADMIN_TOKEN }),
    ).toThrow(/ENCRYPTION_KEY is required/);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, /PUBLIC_BASE_URL must be an http/],
    [{ PUBLIC_BASE_URL: 'not a url' }, /PUBLIC_BASE_URL must be an absolute/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ ENCRYPTION_KEY: 'c2hvcnQ=' }, /ENCRYPTION_KEY must be 32 bytes/],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE/],
    [{ SAML_VALIDATION_THREADS: '17' }, /SAML_VALIDATION_THREADS/],
    [{ PLATFORM_ADMIN_TOKEN: 'short' }, /at least 16/],
    [{ LOG_FORMAT: 'text' }, /LOG_FORMAT must be json or pretty/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig({ ...secrets, DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...secrets, DATA_DIR: dataDir(), ...env })).toThrow(message);
  });

  it('refuses private metadata hosts unless ALLOW_PRIVATE_METADATA_HOSTS is set', () => {
    expect(loadConfig({ ...secrets, DATA_DIR: dataDir() }).allowPrivateMetadataHosts).toBe(false);
    expect(loadConfig({ ...secrets, DATA_DIR: dataDir(), ALLOW_PRIVATE_METADATA_HOSTS: 'true' }).allowPrivateMetadataHosts).toBe(true);
    expect(loadConfig({ ...secrets, DATA_DIR: dataDir(), ALLOW_PRIVATE_METADATA_HOSTS: '0' }).allowPrivateMetadataHosts).toBe(false);
    expect(() => loadConfig({ ...secrets, DATA_DIR: dataDir(), ALLOW_PRIVATE_METADATA_HOSTS: 'yes' })).toThrow(
      /ALLOW_PRIVATE_METADATA_HOSTS must be true or false/,
    );
  });

  it('builds the public base URL from PORT and strips a trailing slash', () => {
    expect(loadConfig({ ...secrets, DATA_DIR: dataDir(), PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ ...secrets, DATA_DIR: dataDir(), PUBLIC_BASE_URL: 'https://sso.example.com/' }).publicBaseUrl).toBe(
      'https://sso.example.com',
    );
  });
});
