import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort, PROJECT_ROOT, startService, type RunningService } from '../service-launcher';
import { clockTicksPerSecond, processCpuTimes, processMemoryMiB, type CpuTimes } from './proc-stats';

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
  readonly baseUrl: URL;

  private constructor(
    private readonly service: RunningService,
    readonly platformToken: string,
    private readonly options: ServiceProcessOptions,
  ) {
    this.baseUrl = new URL(service.baseUrl);
  }

  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    const port = await freeLoopbackPort();
    const token = `pat_bench_${randomBytes(24).toString('base64url')}`;
    const service = await startService({
      port,
      logFile: options.logFile,
      readyTimeoutMs: READY_TIMEOUT_MS,
      nodeArguments: [
        ...startScriptNodeFlags(),
        ...(options.cpuProfilePath ? ['--require', PROFILER_PRELOAD] : []),
        ...(options.perfMap ? ['--perf-basic-prof', '--interpreted-frames-native-stack'] : []),
      ],
      env: {
        ...(process.env as Record<string, string>),
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        DATABASE_URL: options.databaseUrl,
        DATA_DIR: options.dataDir,
        PLATFORM_ADMIN_TOKEN: token,
        ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: options.logLevel,
        BENCH_CPU_PROFILE_PATH: options.cpuProfilePath ?? '',
      },
    });
    return new ServiceProcess(service, token, options);
  }

  private get child(): ChildProcess {
    return this.service.child;
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
    const code = await this.service.exited;
    clearTimeout(timer);
    return code;
  }

  logTail(lines = 20): string {
    return this.service.output().trimEnd().split('\n').slice(-lines).join('\n');
  }

  private requireProfilePath(): string {
    if (!this.options.cpuProfilePath) throw new Error('the service was started without a CPU profile path');
    return this.options.cpuProfilePath;
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
