import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const LOOPBACK = '127.0.0.1';
const READY_POLL_MS = 200;

/**
 * The project's root: the nearest folder above this file with a package.json. This file runs as
 * TypeScript from scripts/ in the tests and as JavaScript from dist/scripts/ in the bench.
 */
function projectRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

export const PROJECT_ROOT = projectRoot();
/** The service as `npm start` runs it, after `npm run build`. */
export const SERVICE_ENTRY = join(PROJECT_ROOT, 'dist', 'src', 'main.js');

/**
 * A loopback port the system just handed out and released. The configuration (PUBLIC_BASE_URL)
 * has to name the port before the service starts, so it cannot simply listen on port 0.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ServiceLaunch {
  /** The service's environment: nothing else is inherited but PATH; PORT and HOST are set from `port`. */
  env: Record<string, string>;
  port: number;
  /** Node's own flags, before the entry point. */
  nodeArguments?: string[];
  /** Where stdout and stderr go; kept in memory when not given. */
  logFile?: string;
  /** How long startService waits for /health/ready. */
  readyTimeoutMs?: number;
}

export interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the service wrote so far. */
  output: () => string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts dist/src/main.js on a loopback port and waits until /health/ready answers 200. */
export async function startService(launch: ServiceLaunch): Promise<RunningService> {
  const service = launchService(launch);
  await waitUntilReady(service, launch.readyTimeoutMs ?? 60_000);
  return service;
}

/** Starts dist/src/main.js on a loopback port, without waiting for it: for tests of its start-up itself. */
export function launchService(launch: ServiceLaunch): RunningService {
  if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run npm run build first`);
  const log = launch.logFile === undefined ? null : openSync(launch.logFile, 'a');
  const child = spawn(process.execPath, [...(launch.nodeArguments ?? []), SERVICE_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...launch.env, PORT: String(launch.port), HOST: LOOPBACK },
    stdio: log === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', log, log],
  });
  if (log !== null) closeSync(log);
  let captured = '';
  child.stdout?.on('data', (chunk) => (captured += chunk));
  child.stderr?.on('data', (chunk) => (captured += chunk));
  return {
    child,
    baseUrl: `http://${LOOPBACK}:${launch.port}`,
    output: () => (launch.logFile === undefined ? captured : readFileSync(launch.logFile, 'utf8')),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
}

async function waitUntilReady(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(`the service exited with status ${service.child.exitCode} before it was ready:\n${tail(service.output())}`);
    }
    try {
      const response = await fetch(`${service.baseUrl}/health/ready`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  service.child.kill('SIGKILL');
  throw new Error(`the service was not ready within ${timeoutMs / 1000} s:\n${tail(service.output())}`);
}

function tail(output: string, lines = 20): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
