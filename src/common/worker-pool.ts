import { existsSync } from 'node:fs';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';

export interface WorkerPoolOptions {
  /** The script's default export answers each task; its value must survive structured clone. */
  script: string;
  threads: number;
  /** Tasks waiting beyond those running; one more is refused with WorkerPoolFullError. */
  maxQueue: number;
  /** From the task's arrival, waiting included; past it the task fails with WorkerTaskTimeoutError. */
  taskTimeoutMs: number;
  resourceLimits: ResourceLimits;
  /** Errors that belong to no task (a thread that failed while idle). */
  onPoolError: (error: Error) => void;
}

/** The pool cannot take a task, or finish one in time: the service is at capacity for now. */
export abstract class WorkerPoolBusyError extends Error {}

export class WorkerPoolFullError extends WorkerPoolBusyError {
  override readonly name = 'WorkerPoolFullError';
}

export class WorkerTaskTimeoutError extends WorkerPoolBusyError {
  override readonly name = 'WorkerTaskTimeoutError';
}

/**
 * Worker threads on piscina, which queues, balances, enforces resourceLimits and replaces a thread
 * that stops (its task fails with the thread's error). What piscina leaves to us: a time limit per
 * task (an AbortSignal; piscina stops a thread whose task is aborted and starts another), the
 * queue bound (piscina's maxQueue does not count tasks that carry an AbortSignal, piscinajs/piscina
 * #899, so every task here would be queued without limit) and typed errors for both.
 * A task's own error comes back as an Error (structured clone keeps message, stack and built-in
 * types, not subclasses or extra fields: a typed outcome has to cross as the task's value).
 */
export class WorkerPool {
  private readonly piscina: Piscina;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!existsSync(options.script)) throw new Error(`the worker script ${options.script} is missing: run npm run build`);
    this.piscina = new Piscina({
      filename: options.script,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Infinity,
      resourceLimits: options.resourceLimits,
    });
    this.piscina.on('error', options.onPoolError);
  }

  get size(): number {
    return this.options.threads;
  }

  async run(task: unknown): Promise<unknown> {
    if (this.queueIsFull()) throw new WorkerPoolFullError(`every thread is busy and ${this.options.maxQueue} tasks are already waiting`);
    // A timer cleared when the task ends: AbortSignal.timeout's stays armed for the whole time limit
    // and fires on every finished task (23 µs of CPU per task against 6, measured in isolation).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.taskTimeoutMs).unref();
    try {
      return await this.piscina.run(task, { signal: deadline.signal });
    } catch (error) {
      if (deadline.signal.aborted) throw new WorkerTaskTimeoutError(`the task took longer than ${this.options.taskTimeoutMs} ms`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.piscina.close();
  }

  // A new task waits unless a thread is idle; it may not make the waiting tasks more than maxQueue.
  private queueIsFull(): boolean {
    const waitingWithIt = this.piscina.queueSize + (this.piscina.idleThreads > 0 ? 0 : 1);
    return waitingWithIt > this.options.maxQueue;
  }
}
