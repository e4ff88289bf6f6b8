import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { WorkerPool, WorkerPoolBusyError, WorkerPoolFullError, WorkerTaskTimeoutError, type WorkerPoolOptions } from './worker-pool';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'workers');
const SCRIPTED = join(FIXTURES, 'scripted-worker.js');

interface Echo {
  echo: string;
  threadId: number;
  key?: KeyObject;
}

describe('WorkerPool', () => {
  const pools: WorkerPool[] = [];
  const poolErrors: Error[] = [];
  const pool = (options: Partial<WorkerPoolOptions> = {}) => {
    const created = new WorkerPool({
      script: SCRIPTED,
      threads: 1,
      maxQueue: 8,
      taskTimeoutMs: 10_000,
      resourceLimits: { maxOldGenerationSizeMb: 64 },
      onPoolError: (error) => poolErrors.push(error),
      ...options,
    });
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((created) => created.close()));
  });

  it("answers each task with the worker's value", async () => {
    const one = pool();
    const answers = (await Promise.all(['a', 'b', 'c'].map((echo) => one.run({ echo })))) as Echo[];
    expect(answers.map((answer) => answer.echo)).toEqual(['a', 'b', 'c']);
  });

  it('runs tasks on as many threads as it has', async () => {
    const two = pool({ threads: 2 });
    const answers = (await Promise.all(['a', 'b'].map((echo) => two.run({ echo, delayMs: 300 })))) as Echo[];
    expect(new Set(answers.map((answer) => answer.threadId)).size).toBe(2);
  });

  it('carries a KeyObject to the thread and back', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const key = createPrivateKey(pem);
    const answer = (await pool().run({ echo: 'key', key })) as Echo;
    expect(answer.key).toBeInstanceOf(KeyObject);
    expect(answer.key!.equals(key)).toBe(true);
  });

  it("rejects a task with the worker's error, as an Error of its built-in type", async () => {
    // By name: the clone is made in Node's realm, not in the test's VM context.
    await expect(pool().run({ throwType: 'TypeError', message: 'no good' })).rejects.toMatchObject({ name: 'TypeError', message: 'no good' });
  });

  it('stops a task that runs past its time limit with a typed error, and runs the next on a new thread', async () => {
    const one = pool({ taskTimeoutMs: 500 });
    const { threadId: before } = (await one.run({ echo: 'first' })) as Echo;
    const stuck = one.run({ spinMs: 60_000 });
    await expect(stuck).rejects.toBeInstanceOf(WorkerTaskTimeoutError);
    await expect(stuck).rejects.toBeInstanceOf(WorkerPoolBusyError);
    const after = (await one.run({ echo: 'next' })) as Echo;
    expect(after.echo).toBe('next');
    expect(after.threadId).not.toBe(before);
  });

  it('fails a task still waiting when its time is up', async () => {
    const one = pool({ taskTimeoutMs: 500 });
    const [running, waiting] = await Promise.allSettled([one.run({ spinMs: 60_000 }), one.run({ echo: 'waiting' })]);
    expect(running).toMatchObject({ status: 'rejected', reason: expect.any(WorkerTaskTimeoutError) });
    expect(waiting).toMatchObject({ status: 'rejected', reason: expect.any(WorkerTaskTimeoutError) });
  });

  it('refuses a task with a typed error while maxQueue tasks are waiting, and serves the others', async () => {
    const one = pool({ maxQueue: 2 });
    const accepted = ['running', 'waiting 1', 'waiting 2'].map((echo) => one.run({ echo, delayMs: 300 }));
    const refused = one.run({ echo: 'one too many' });
    await expect(refused).rejects.toBeInstanceOf(WorkerPoolFullError);
    await expect(refused).rejects.toBeInstanceOf(WorkerPoolBusyError);
    expect(((await Promise.all(accepted)) as Echo[]).map((answer) => answer.echo)).toEqual(['running', 'waiting 1', 'waiting 2']);
    await expect(one.run({ echo: 'room again' })).resolves.toMatchObject({ echo: 'room again' });
  });

  it('fails the task of a thread that exits, saying so, and replaces the thread', async () => {
    const one = pool();
    await expect(one.run({ exit: 3 })).rejects.toThrow('worker exited with code: 3');
    await expect(one.run({ echo: 'after' })).resolves.toMatchObject({ echo: 'after' });
  });

  it('fails the task of a thread stopped by an uncaught exception with that exception, and replaces the thread', async () => {
    const one = pool();
    await expect(one.run({ throwUncaught: 'out of its depth' })).rejects.toThrow('out of its depth');
    await expect(one.run({ echo: 'after' })).resolves.toMatchObject({ echo: 'after' });
  });

  it('stops a thread that outgrows its heap limit, failing its task, and replaces the thread', async () => {
    const one = pool({ resourceLimits: { maxOldGenerationSizeMb: 32 } });
    await expect(one.run({ allocateUntilOutOfMemory: true })).rejects.toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
    await expect(one.run({ echo: 'after' })).resolves.toMatchObject({ echo: 'after' });
  });

  it('refuses a task that cannot be sent to a thread, and keeps serving', async () => {
    const one = pool();
    await expect(one.run({ echo: () => 'a function' })).rejects.toThrow(/could not be cloned/);
    await expect(one.run({ echo: 'next' })).resolves.toMatchObject({ echo: 'next' });
  });

  it('refuses a script that does not exist, at once', () => {
    expect(() => pool({ script: join(FIXTURES, 'missing.js') })).toThrow(/missing/);
  });

  it('reports a thread that cannot start rather than crashing the process', async () => {
    pool({ script: join(FIXTURES, 'failing-start-worker.js') });
    while (poolErrors.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(poolErrors.map((error) => error.message)).toContain('this worker cannot start');
  });
});
