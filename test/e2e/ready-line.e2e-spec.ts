import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, launchService, RunningService } from '../../scripts/service-launcher';
import { PLATFORM_TOKEN, TEST_ENCRYPTION_KEY } from '../helpers/test-app';
import { buildService } from '../helpers/build-service';
import { TcpProxy } from '../helpers/tcp-proxy';
import { basePostgresUrl, createTestDatabase } from '../helpers/test-database';

const READY_LINE = /^SSO service listening on \S+ \(bound to 127\.0\.0\.1:\d+\), ready in [\d.]+ s$/m;

// The database is held unreachable behind a proxy, so this runs on PostgreSQL.
const onPostgres = basePostgresUrl() ? describe : describe.skip;

onPostgres("the service's listening line", () => {
  let database: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let service: RunningService;

  beforeAll(async () => {
    await buildService();
    database = (await createTestDatabase())!;
    const target = new URL(database.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432), false);
  }, 240_000);
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await proxy?.cut();
    await database?.drop();
  });

  it('appears only once /health/ready answers 200: not while the database is unreachable', async () => {
    const port = await freeLoopbackPort();
    const url = new URL(database.url);
    url.port = String(proxy.port);
    service = launchService({
      port,
      env: {
        NODE_ENV: 'test',
        DATABASE_URL: url.toString(),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN,
        ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sso-ready-')),
        LOG_LEVEL: 'info',
      },
    });
    const status = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;

    // Serving, with the database retried in the background (its first failure is logged).
    await until(async () => (await status('/health').catch(() => 0)) === 200 && service.output().includes('database not reachable yet'));
    expect(await status('/health/ready')).toBe(503);
    expect(service.output()).not.toMatch(READY_LINE);
    expect(service.output()).not.toMatch(/listening|successfully started/i);
    // The probe's 503 while the database starts is expected: an info line, no made-up error and stack.
    await until(async () => service.output().includes('"path":"/health/ready"'));
    const notReady = jsonLines(service.output()).filter((entry) => entry.req?.path === '/health/ready' && entry.res?.statusCode === 503);
    expect(notReady).not.toHaveLength(0);
    for (const entry of notReady) {
      expect(entry.level).toBe(30);
      expect(entry).not.toHaveProperty('err');
    }
    expect(service.output()).not.toContain('failed with status code');

    await proxy.restore();
    await until(async () => READY_LINE.test(service.output()));
    expect(await status('/health/ready')).toBe(200);
  }, 120_000);
});

function jsonLines(output: string): Array<Record<string, any>> {
  return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}
