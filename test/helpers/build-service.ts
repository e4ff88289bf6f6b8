import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../scripts/service-launcher';

const BUILD_LOCK = join(PROJECT_ROOT, '.test-build.lock');
const BUILD_WAIT_MS = 180_000;

/**
 * Builds the service as `npm start` runs it (dist/, with the pages' assets), for tests that start a
 * real process (scripts/service-launcher.ts); once per test run. Test files run in parallel workers of one jest process, so the
 * first to get here builds and the others wait for it rather than write dist/ at the same time.
 */
export async function buildService(): Promise<void> {
  const builtMarker = join(PROJECT_ROOT, 'dist', `.built-for-test-run-${jestRunPid()}`);
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
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
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
