/** @type {import('jest').Config} */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
// A global option: jest ignores it inside a project.
const testTimeout = 60000;

/**
 * The embedded database is what `npm start` runs on by default, so a run on PostgreSQL repeats the
 * login, logout, provisioning and OpenID flow suites on it too (without a PostgreSQL every suite runs on it).
 * saml-attacks is left to PostgreSQL: its subject is the verifier, whatever the database.
 */
const onEmbeddedToo = ['saml-login', 'saml-logout', 'provisioning', 'oidc-flow'];

module.exports =
  process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
    ? {
        testTimeout,
        projects: [
          { ...base, displayName: 'postgres' },
          {
            ...base,
            displayName: 'embedded',
            testMatch: onEmbeddedToo.map((suite) => `<rootDir>/test/e2e/${suite}.e2e-spec.ts`),
            setupFiles: ['<rootDir>/test/helpers/on-embedded-database.ts'],
          },
        ],
      }
    : { ...base, testTimeout };
