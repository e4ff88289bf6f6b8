import { Controller, INestApplication, Post, Query, UseFilters } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import request from 'supertest';
import { WorkerPool } from '../common/worker-pool';
import { SamlErrorPageFilter } from './saml-error-page.filter';

const SCRIPTED = join(__dirname, '..', '..', 'test', 'fixtures', 'workers', 'scripted-worker.js');

// A real pool (one thread, no waiting room, a short time limit) behind the filter of the SAML endpoints.
const pool = new WorkerPool({
  script: SCRIPTED,
  threads: 1,
  maxQueue: 0,
  taskTimeoutMs: 2_000,
  resourceLimits: { maxOldGenerationSizeMb: 64 },
  onPoolError: () => undefined,
});

@Controller('validate')
@UseFilters(SamlErrorPageFilter)
class ValidatingController {
  @Post()
  async validate(@Query('delayMs') delayMs?: string, @Query('spinMs') spinMs?: string): Promise<unknown> {
    return pool.run({ echo: 'validated', delayMs: Number(delayMs ?? 0), spinMs: Number(spinMs ?? 0) });
  }
}

describe('a validation the pool cannot take or finish, at the SAML edge', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ValidatingController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    await pool.close();
  });

  it('answers 503 with Retry-After while every thread is busy and the queue is full', async () => {
    const running = http.post('/validate?delayMs=1000').then((response) => response.status);
    while (!(await poolIsBusy())) await new Promise((resolve) => setTimeout(resolve, 20));
    const refused = await http.post('/validate');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.text).toContain('temporarily unavailable');
    expect(await running).toBe(201);
  });

  it('answers 503 with Retry-After when validation runs past its time limit', async () => {
    const stopped = await http.post('/validate?spinMs=60000');
    expect(stopped.status).toBe(503);
    expect(stopped.headers['retry-after']).toBeDefined();
  });

  // Busy once a task is refused; a refused probe costs nothing.
  async function poolIsBusy(): Promise<boolean> {
    return pool.run({ echo: 'probe' }).then(
      () => false,
      () => true,
    );
  }
});
