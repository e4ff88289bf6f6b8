import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp, startDatabase } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';

describe('the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sso-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function start() {
    // No DATABASE_URL and no secrets: the zero-setup development start.
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', SAML_VALIDATION_THREADS: '0' });
    const app = await createApp(config, { logs: false });
    await app.init();
    await startDatabase(app);
    return { app, token: config.platformAdminToken };
  }

  it('keeps data across restarts and generates the dev secrets once, mode 0600', async () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const first = await start();
    const printed = write.mock.calls.map((call) => String(call[0])).join('');
    write.mockRestore();
    expect(printed).toContain(first.token);
    expect(statSync(join(dataDir, 'platform-admin-token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'encryption-key')).mode & 0o777).toBe(0o600);

    const created = await request(first.app.getHttpServer())
      .post('/api/v1/partners')
      .set('Authorization', `Bearer ${first.token}`)
      .send({ name: 'Persistent' })
      .expect(201);
    await first.app.close();

    const again = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const second = await start();
    const printedAgain = again.mock.calls.map((call) => String(call[0])).join('');
    again.mockRestore();
    expect(second.token).toBe(first.token);
    expect(printedAgain).not.toContain(second.token);
    const fetched = await request(second.app.getHttpServer())
      .get(`/api/v1/partners/${created.body.id}`)
      .set('Authorization', `Bearer ${second.token}`)
      .expect(200);
    expect(fetched.body.name).toBe('Persistent');
    await second.app.close();
  });
});
