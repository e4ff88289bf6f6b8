import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from './worker-pool';

/**
 * The worker side of a WorkerPool: answers each task with `handle`'s value. A value must survive
 * postMessage (structured clone); an exception is sent back as its message.
 */
export function serveWorkerTasks(handle: (task: never) => unknown): void {
  if (!parentPort) throw new Error('serveWorkerTasks runs only in a worker thread');
  const port = parentPort;
  port.on('message', ({ id, task }: { id: number; task: never }) => {
    let reply: WorkerReply;
    try {
      reply = { id, value: handle(task) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      port.postMessage({ id, error: `the answer could not be sent back: ${(error as Error).message}` } satisfies WorkerReply);
    }
  });
}
