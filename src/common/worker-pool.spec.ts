import { join } from 'node:path';
import { WorkerPool, WorkerStoppedError } from './worker-pool';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'workers');
const SCRIPTED = join(FIXTURES, 'scripted-worker.js');

interface Echo {
  echo: string;
  threadId: number;
}

describe('WorkerPool', () => {
  const pools: WorkerPool[] = [];
  const pool = (script: string, size: number) => {
    const created = new WorkerPool(script, size);
    pools.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((created) => created.close()));
  });

  it("answers each task with the worker's value", async () => {
    const one = pool(SCRIPTED, 1);
    const answers = (await Promise.all(['a', 'b', 'c'].map((echo) => one.run({ echo })))) as Echo[];
    expect(answers.map((answer) => answer.echo)).toEqual(['a', 'b', 'c']);
  });

  it('gives a task to the worker with the fewest unanswered tasks', async () => {
    const two = pool(SCRIPTED, 2);
    const slow = two.run({ echo: 'slow', delayMs: 300 }) as Promise<Echo>;
    const quick: Echo[] = [];
    for (const n of [1, 2, 3]) quick.push((await two.run({ echo: `quick ${n}` })) as Echo);
    const busyThread = (await slow).threadId;
    expect(quick.every((answer) => answer.threadId !== busyThread)).toBe(true);
  });

  it("rejects a task with the worker's error message", async () => {
    await expect(pool(SCRIPTED, 1).run({ fail: 'no good' })).rejects.toThrow('no good');
  });

  it('fails the unanswered tasks of a worker that stops, and replaces it', async () => {
    const one = pool(SCRIPTED, 1);
    const pending = one.run({ echo: 'never', delayMs: 5000 });
    const stopping = one.run({ exit: 3 });
    await expect(pending).rejects.toBeInstanceOf(WorkerStoppedError);
    await expect(stopping).rejects.toThrow('exit code 3');
    await expect(one.run({ echo: 'after' })).resolves.toMatchObject({ echo: 'after' });
  });

  it('says why a worker stopped when an exception stopped it', async () => {
    await expect(pool(SCRIPTED, 1).run({ throwUncaught: 'out of its depth' })).rejects.toThrow('out of its depth');
  });

  it('refuses a task that cannot be sent to a thread, and keeps serving', async () => {
    const one = pool(SCRIPTED, 1);
    await expect(one.run({ echo: () => 'a function' })).rejects.toThrow(/could not be cloned/);
    await expect(one.run({ echo: 'next' })).resolves.toMatchObject({ echo: 'next' });
  });

  it('refuses tasks, rather than queueing them forever, while its only worker cannot start', async () => {
    const broken = pool(join(FIXTURES, 'failing-start-worker.js'), 1);
    await expect(broken.run({ echo: 'first' })).rejects.toBeInstanceOf(WorkerStoppedError);
    await expect(broken.run({ echo: 'second' })).rejects.toBeInstanceOf(WorkerStoppedError);
  });

  it('refuses a script that does not exist, at once', () => {
    expect(() => new WorkerPool(join(FIXTURES, 'missing.js'), 1)).toThrow(/missing/);
  });

  it('refuses tasks once closed', async () => {
    const closed = pool(SCRIPTED, 1);
    await closed.close();
    await expect(closed.run({ echo: 'late' })).rejects.toBeInstanceOf(WorkerStoppedError);
  });
});
