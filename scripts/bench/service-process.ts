import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { clockTicksPerSecond, processCpuTimes, processMemoryMiB, type CpuTimes } from './proc-stats';

const PROJECT_ROOT = resolve(__dirname, '../../..');
const SERVICE_ENTRY = join(PROJECT_ROOT, 'dist/src/main.js');
const START_SCRIPT = /^node((?: --[a-z-]+(?:=\S+)?)*) dist\/src\/main\.js$/;
const PROFILER_PRELOAD = join(__dirname, 'cpu-profile-preload.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const PROFILE_WRITE_TIMEOUT_MS = 30_000;

export interface ServiceProcessOptions {
  databaseUrl: string;
  logLevel: string;
  /** The service's stdout and stderr go here. */
  logFile: string;
  /** Its own directory, so the bench never reads or writes the project's ./data. */
  dataDir: string;
  /** When set, the service can be profiled between startProfiling and stopProfiling. */
  cpuProfilePath?: string;
  /** Has node write /tmp/perf-<pid>.map and give interpreted functions their own frames, so that `perf` can name them. */
  perfMap?: boolean;
}

/** `node dist/src/main.js` as a child process on loopback, with its CPU and memory readable from /proc. */
export class ServiceProcess {
  private readonly ticksPerSecond = clockTicksPerSecond();
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: URL,
    readonly platformToken: string,
    private readonly options: ServiceProcessOptions,
  ) {
    this.exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  }

  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run npm run build first`);
    const port = await freeLoopbackPort();
    const baseUrl = new URL(`http://127.0.0.1:${port}`);
    const log = openSync(options.logFile, 'a');
    const token = `pat_bench_${randomBytes(24).toString('base64url')}`;
    const nodeArguments = [
      ...startScriptNodeFlags(),
      ...(options.cpuProfilePath ? ['--require', PROFILER_PRELOAD] : []),
      ...(options.perfMap ? ['--perf-basic-prof', '--interpreted-frames-native-stack'] : []),
    ];
    const child = spawn(process.execPath, [...nodeArguments, SERVICE_ENTRY], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_BASE_URL: baseUrl.origin,
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir,
        PLATFORM_ADMIN_TOKEN: token,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: options.logLevel,
        BENCH_CPU_PROFILE_PATH: options.cpuProfilePath ?? '',
      },
    });
    closeSync(log);
    const service = new ServiceProcess(child, baseUrl, token, options);
    await service.waitUntilReady();
    return service;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the service process has no pid');
    return this.child.pid;
  }

  cpuTimes(): CpuTimes {
    return processCpuTimes(this.pid, this.ticksPerSecond);
  }

  rssMiB(): number {
    return processMemoryMiB(this.pid, 'VmRSS');
  }

  peakRssMiB(): number {
    return processMemoryMiB(this.pid, 'VmHWM');
  }

  async startProfiling(): Promise<void> {
    const path = this.requireProfilePath();
    this.child.kill('SIGUSR2');
    await waitForFile(`${path}.started`, PROFILE_WRITE_TIMEOUT_MS);
    rmSync(`${path}.started`);
  }

  /** Stops the profiler and returns the path of the written .cpuprofile. */
  async stopProfiling(): Promise<string> {
    const path = this.requireProfilePath();
    this.child.kill('SIGUSR2');
    await waitForFile(path, PROFILE_WRITE_TIMEOUT_MS);
    return path;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  logTail(lines = 20): string {
    return readFileSync(this.options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  private requireProfilePath(): string {
    if (!this.options.cpuProfilePath) throw new Error('the service was started without a CPU profile path');
    return this.options.cpuProfilePath;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`the service exited with status ${this.child.exitCode} before it was ready:\n${this.logTail()}`);
      }
      try {
        const response = await fetch(new URL('/health/ready', this.baseUrl), { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await delay(200);
    }
    await this.stop();
    throw new Error(`the service was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${this.logTail()}`);
  }
}

/**
 * The node flags of `npm start` (its heap budget), so that the bench measures the service as it is
 * run rather than with node's defaults.
 */
export function startScriptNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = START_SCRIPT.exec(manifest.scripts.start);
  if (!match) throw new Error(`package.json's start script is not "node [flags] dist/src/main.js": ${manifest.scripts.start}`);
  return match[1].trim().split(' ').filter((flag) => flag !== '');
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} was not written within ${timeoutMs / 1000} s`);
    await delay(50);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms));
}
