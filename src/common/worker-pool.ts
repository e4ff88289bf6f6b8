import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What a pool's worker script posts back for each task: its value, or why it could not compute one. */
export type WorkerReply = { id: number; value: unknown } | { id: number; error: string };

/** A task was posted to a worker that stopped before answering it. */
export class WorkerStoppedError extends Error {
  override readonly name = 'WorkerStoppedError';
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Whether it has started; one that stops before it has is replaced only after a delay. */
  online: boolean;
  stopped: boolean;
  /** The uncaught exception that stopped it, if one did. */
  failure: string | null;
}

// A script that fails on every start must not become a busy loop of restarts.
const RESTART_DELAY_MS = 1000;

/**
 * A fixed number of worker threads running one script, for CPU-bound work that would otherwise
 * hold up the event loop. Each task goes to the running worker with the fewest unanswered tasks;
 * a worker that stops fails its unanswered tasks and is replaced.
 *
 * The script answers every `{ id, task }` message with a WorkerReply carrying the same id
 * (`serveWorkerTasks` does this).
 */
export class WorkerPool {
  private readonly workers: PooledWorker[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: string,
    size: number,
  ) {
    if (!existsSync(script)) throw new Error(`the worker script ${script} is missing: run npm run build`);
    for (let index = 0; index < size; index++) this.workers.push(this.spawn());
  }

  get size(): number {
    return this.workers.length;
  }

  run(task: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new WorkerStoppedError('the worker pool is closed'));
    let target: PooledWorker | null = null;
    for (const candidate of this.workers) {
      if (!candidate.stopped && (!target || candidate.pending.size < target.pending.size)) target = candidate;
    }
    if (!target) return Promise.reject(new WorkerStoppedError('no worker thread is running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        target.worker.postMessage({ id, task });
      } catch (error) {
        // A task that cannot be cloned to the thread (a function, a socket…) never reaches it.
        reject(error as Error);
        return;
      }
      target.pending.set(id, { resolve, reject });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private spawn(): PooledWorker {
    const pooled: PooledWorker = {
      worker: new Worker(this.script),
      pending: new Map(),
      online: false,
      stopped: false,
      failure: null,
    };
    pooled.worker.unref();
    pooled.worker.once('online', () => (pooled.online = true));
    pooled.worker.on('message', (reply: WorkerReply) => {
      const waiter = pooled.pending.get(reply.id);
      if (!waiter) return;
      pooled.pending.delete(reply.id);
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.value);
    });
    // An uncaught exception in the worker emits 'error' and then 'exit'; only 'exit' is final.
    pooled.worker.on('error', (error) => (pooled.failure = error.message));
    pooled.worker.once('exit', (code) => this.replace(pooled, code));
    return pooled;
  }

  private replace(stopped: PooledWorker, exitCode: number): void {
    stopped.stopped = true;
    for (const waiter of stopped.pending.values()) {
      const cause = stopped.failure ? `: ${stopped.failure}` : '';
      waiter.reject(new WorkerStoppedError(`a worker thread stopped (exit code ${exitCode}${cause}) before answering`));
    }
    stopped.pending.clear();
    if (this.closed) return;
    const restart = () => {
      if (this.closed) return;
      this.workers[this.workers.indexOf(stopped)] = this.spawn();
    };
    if (stopped.online) restart();
    else setTimeout(restart, RESTART_DELAY_MS).unref();
  }
}
