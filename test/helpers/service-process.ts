import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BUILD_LOCK = join(ROOT, '.test-build.lock');
const BUILD_WAIT_MS = 180_000;

/**
 * Builds the service as `npm start` runs it (dist/, with the pages' assets), for tests that need a
 * real process; once per test run. Test files run in parallel workers of one jest process, so the
 * first to get here builds and the others wait for it rather than write dist/ at the same time.
 */
export async function buildService(): Promise<void> {
  const builtMarker = join(ROOT, 'dist', `.built-for-test-run-${jestRunPid()}`);
  const deadline = Date.now() + BUILD_WAIT_MS;
  for (;;) {
    if (existsSync(builtMarker)) return;
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${BUILD_LOCK} was held for ${BUILD_WAIT_MS / 1000} s; remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (existsSync(builtMarker)) return;
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    writeFileSync(builtMarker, '');
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/**
 * The jest process of this test run: the parent of a worker, or this process when jest runs the
 * files in band. (The parent of an in-band run can be a shell that outlives many runs.)
 */
function jestRunPid(): number {
  return process.argv[1]?.includes('jest-worker') ? process.ppid : process.pid;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts dist/src/main.js with this environment and waits until /health/ready answers 200. */
export async function startServiceProcess(env: Record<string, string>, port: number): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`service did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, baseUrl, output: () => output, exited };
}
