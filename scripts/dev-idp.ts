import { resolve } from 'node:path';
import { startDevIdp } from './dev-idp/dev-idp-server';

const DEFAULT_PORT = 7000;

function portFromEnvironment(): number {
  const raw = process.env.DEV_IDP_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) {
    process.stderr.write(`DEV_IDP_PORT must be a port number from 1 to 65535, got "${raw}"\n`);
    process.exit(1);
  }
  return Number(raw);
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const idp = await startDevIdp({ port: portFromEnvironment(), dataDir, emailDomain: process.env.DEV_IDP_EMAIL_DOMAIN || undefined });
  const users = idp.users.map((user) => `    ${user.email.padEnd(28)} groups: ${user.groups.join(', ')}`).join('\n');
  process.stdout.write(
    [
      `Dev IdP (for development only) on ${idp.baseUrl}`,
      `  Metadata URL: ${idp.metadataUrl}`,
      `  Signing key and certificate: ${resolve(dataDir, 'dev-idp')}`,
      `  Users:`,
      users,
      '',
    ].join('\n'),
  );
  const stop = () => void idp.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev IdP failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
