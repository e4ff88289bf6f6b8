import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDevApp } from './dev-app/dev-app-server';

const DEFAULT_PORT = 7100;

interface Registration {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function portFromEnvironment(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 65535) fail(`${name} must be a port number from 1 to 65535, got "${raw}"`);
  return Number(raw);
}

/**
 * CLIENT_ID and CLIENT_SECRET from the environment, or a client this app registered itself with the
 * platform admin token (kept in DATA_DIR/dev-app/client.json, since the secret is shown only once).
 */
async function clientFor(issuer: string, dataDir: string, baseUrl: string): Promise<Registration & { source: string }> {
  const { CLIENT_ID, CLIENT_SECRET } = process.env;
  if (CLIENT_ID || CLIENT_SECRET) {
    if (!CLIENT_ID || !CLIENT_SECRET) fail('Set both CLIENT_ID and CLIENT_SECRET, or neither (the app then registers itself).');
    return { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${baseUrl}/callback`], source: 'CLIENT_ID and CLIENT_SECRET' };
  }
  const file = join(dataDir, 'dev-app', 'client.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Registration;
    if (stored.redirectUris.includes(`${baseUrl}/callback`)) return { ...stored, source: file };
  }
  const tokenFile = join(dataDir, 'platform-admin-token');
  const token = process.env.PLATFORM_ADMIN_TOKEN || (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '');
  if (!token) fail(`No client: set CLIENT_ID and CLIENT_SECRET, or PLATFORM_ADMIN_TOKEN (or start the service once so that ${tokenFile} exists).`);
  const answer = await fetch(`${issuer}/api/v1/oauth-clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Dev app', redirectUris: [`${baseUrl}/callback`], postLogoutRedirectUris: [`${baseUrl}/`] }),
  }).catch((error: Error) => fail(`Could not reach the service at ${issuer} to register the app (${error.message}); is \`npm start\` running?`));
  if (answer.status !== 201) fail(`The service refused to register the app: ${answer.status} ${await answer.text()}`);
  const created = (await answer.json()) as Registration;
  mkdirSync(join(dataDir, 'dev-app'), { recursive: true });
  writeFileSync(file, JSON.stringify({ clientId: created.clientId, clientSecret: created.clientSecret, redirectUris: created.redirectUris }, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return { ...created, source: `registered now, kept in ${file}` };
}

async function main(): Promise<void> {
  const port = portFromEnvironment('DEV_APP_PORT', DEFAULT_PORT);
  const issuer = (process.env.OIDC_ISSUER || `http://localhost:${portFromEnvironment('PORT', 3000)}`).replace(/\/$/, '');
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const baseUrl = `http://localhost:${port}`;
  const client = await clientFor(issuer, dataDir, baseUrl);
  const app = await startDevApp({ issuer, clientId: client.clientId, clientSecret: client.clientSecret, port, baseUrl });
  process.stdout.write(
    [
      `Dev app (an OpenID Connect client, for development only) on ${app.baseUrl}`,
      `  Provider: ${issuer}`,
      `  Client: ${client.clientId} (${client.source})`,
      `  Redirect URI: ${app.redirectUri}`,
      '',
    ].join('\n'),
  );
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => fail(`dev app failed to start: ${(error as Error).message}`));
