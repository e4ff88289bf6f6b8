import { Controller, INestApplication, Post, Query, UseFilters } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import request from 'supertest';
import { WorkerPool, WorkerTaskTimeoutError } from '../common/worker-pool';
import { SamlErrorPageFilter } from './saml-error-page.filter';

const SCRIPTED = join(__dirname, '..', '..', 'test', 'fixtures', 'workers', 'scripted-worker.js');

// A real pool (one thread, no waiting room, a short time limit) behind the filter of the SAML endpoints.
const pool = new WorkerPool({
  script: SCRIPTED,
  threads: 1,
  maxQueue: 0,
  taskTimeoutMs: 5_000,
  resourceLimits: { maxOldGenerationSizeMb: 64 },
  onPoolError: () => undefined,
});

@Controller('validate')
@UseFilters(SamlErrorPageFilter)
class ValidatingController {
  @Post()
  async validate(@Query('spinMs') spinMs?: string): Promise<unknown> {
    return pool.run({ echo: 'validated', spinMs: Number(spinMs ?? 0) });
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

  it('answers 503 with Retry-After when validation runs past its time limit', async () => {
    const stopped = await http.post('/validate?spinMs=60000');
    expect(stopped.status).toBe(503);
    expect(stopped.headers['retry-after']).toBeDefined();
    expect(stopped.text).toContain('temporarily unavailable');
  });

  it('answers 503 with Retry-After while every thread is busy and the queue is full', async () => {
    // The thread stopped by the time limit is replaced; wait until its successor answers.
    const answers = () => pool.run({ echo: 'ready' }).then(() => true, () => false);
    while (!(await answers())) await new Promise((resolve) => setTimeout(resolve, 20));
    const holdingTheThread = pool.run({ delayMs: 60_000 });
    const refused = await http.post('/validate');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBeDefined();
    await expect(holdingTheThread).rejects.toBeInstanceOf(WorkerTaskTimeoutError);
  });
});
