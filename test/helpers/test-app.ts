import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp, CreateAppOptions, startDatabase } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase } from './test-database';

export const PLATFORM_TOKEN = 'pat_test-platform-admin-token-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  http: ReturnType<typeof request>;
  /** Bearer header of the platform operator. */
  platform: { Authorization: string };
  /** Another app instance on the same database (two instances behaving as one service). */
  startSibling(env?: Record<string, string>): Promise<TestApp>;
  close(): Promise<void>;
}

interface Shared {
  databaseUrl: string | null;
  dataDir: string;
  dropDatabase: () => Promise<void>;
}

async function startOn(shared: Shared, env: Record<string, string>, options: CreateAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_BASE_URL: 'http://sso.test',
    PLATFORM_ADMIN_TOKEN: PLATFORM_TOKEN,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATA_DIR: shared.dataDir,
    RATE_LIMIT_PER_MINUTE: '0',
    // Worker threads load the built JavaScript; validation-threads.e2e-spec runs them on the build.
    SAML_VALIDATION_THREADS: '0',
    LOG_LEVEL: 'silent',
    ...(shared.databaseUrl ? { DATABASE_URL: shared.databaseUrl } : {}),
    ...env,
  });
  const app = await createApp(config, { logs: false, ...options });
  await app.init();
  await startDatabase(app);
  const siblings: TestApp[] = [];
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    platform: { Authorization: `Bearer ${PLATFORM_TOKEN}` },
    async startSibling(siblingEnv = {}) {
      if (!shared.databaseUrl) throw new Error('sibling instances need a real PostgreSQL (TEST_DATABASE_URL)');
      const sibling = await startOn(shared, { ...env, ...siblingEnv });
      siblings.push(sibling);
      return sibling;
    },
    async close() {
      for (const sibling of siblings) await sibling.app.close();
      await app.close();
    },
  };
}

/** The whole app over HTTP on a database of its own (PostgreSQL when given, else embedded). */
export async function startTestApp(env: Record<string, string> = {}, options: CreateAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-test-'));
  const shared: Shared = { databaseUrl: database?.url ?? null, dataDir, dropDatabase: database?.drop ?? (async () => {}) };
  const testApp = await startOn(shared, env, options);
  const close = testApp.close;
  testApp.close = async () => {
    await close();
    await shared.dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return testApp;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}
