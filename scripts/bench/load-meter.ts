import { runConcurrently } from './concurrency';
import type { HttpClient } from './http-client';
import { LatencyRecorder, percentile, type LatencySummary } from './latency';
import { acsFailure, FailureTally } from './login-outcome';
import type { SignedLogin } from './okta-like-idp';
import { clockTicksPerSecond, machineBusyCpuMs, postgresCpuMs } from './proc-stats';
import type { ServiceProcess } from './service-process';

const RSS_SAMPLE_INTERVAL_MS = 100;
// An RSS reading at one instant lands anywhere on the GC sawtooth (±30 % here); the median of the
// readings over the logins just before a checkpoint is what the process holds there.
export const MEMORY_WINDOW_LOGINS = 2_000;

export interface MemoryCheckpoint {
  logins: number;
  rssMiB: number;
  windowMedianRssMiB: number;
}

export interface LoadPhase {
  logins: number;
  /** Time spent posting logins, pauses between batches excluded. */
  wallSeconds: number;
  latency: LatencySummary;
  failures: FailureTally;
  serviceUserMs: number;
  serviceSystemMs: number;
  postgresCpuMs: number;
  clientCpuMs: number;
  /** CPU used on the machine by everything else meanwhile: how noisy the run was. */
  otherCpuMs: number;
  peakRssMiB: number;
  sampledPeakRssMiB: number;
  checkpoints: MemoryCheckpoint[];
}

/**
 * Posts batches of logins to the ACS, each response once, and adds up what they cost: latency,
 * failures, and the CPU of the service, PostgreSQL, this client and everything else, read around
 * each batch only. VmRSS is sampled throughout, and read at the given login counts.
 */
export class LoadMeter {
  private readonly latency = new LatencyRecorder();
  private readonly failures = new FailureTally();
  private readonly ticksPerSecond = clockTicksPerSecond();
  private readonly rssSamples: { completed: number; rssMiB: number }[] = [];
  private readonly checkpointRss = new Map<number, number>();
  private readonly sampler: NodeJS.Timeout;
  private completed = 0;
  private posting = false;
  private wallMs = 0;
  private serviceUserMs = 0;
  private serviceSystemMs = 0;
  private postgresMs = 0;
  private clientMs = 0;
  private machineMs = 0;
  private sampledPeakRssMiB: number;

  constructor(
    private readonly service: ServiceProcess,
    private readonly acsPath: string,
    private readonly returnTo: string,
    private readonly checkpoints: readonly number[],
  ) {
    this.sampledPeakRssMiB = service.rssMiB();
    this.sampler = setInterval(() => {
      const rssMiB = service.rssMiB();
      this.sampledPeakRssMiB = Math.max(this.sampledPeakRssMiB, rssMiB);
      if (this.posting) this.rssSamples.push({ completed: this.completed, rssMiB });
    }, RSS_SAMPLE_INTERVAL_MS);
  }

  async post(client: HttpClient, logins: readonly SignedLogin[], concurrency: number): Promise<void> {
    let next = 0;
    const serviceBefore = this.service.cpuTimes();
    const postgresBefore = postgresCpuMs(this.ticksPerSecond);
    const machineBefore = machineBusyCpuMs(this.ticksPerSecond);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    this.posting = true;
    await runConcurrently(concurrency, async () => {
      const login = logins[next++];
      if (login === undefined) return false;
      const sent = performance.now();
      try {
        const result = await client.postForm(this.acsPath, { SAMLResponse: login.samlResponse, RelayState: this.returnTo });
        this.latency.record(performance.now() - sent);
        const failure = acsFailure(result, this.returnTo);
        if (failure !== null) this.failures.record(failure.split(':')[0], failure);
      } catch (error) {
        this.failures.record('no HTTP answer', (error as Error).message);
      }
      this.completed += 1;
      if (this.checkpoints.includes(this.completed)) this.checkpointRss.set(this.completed, this.service.rssMiB());
      return true;
    });
    this.posting = false;
    this.wallMs += performance.now() - started;
    const clientCpu = process.cpuUsage(clientBefore);
    const serviceAfter = this.service.cpuTimes();
    this.serviceUserMs += serviceAfter.userMs - serviceBefore.userMs;
    this.serviceSystemMs += serviceAfter.systemMs - serviceBefore.systemMs;
    this.postgresMs += postgresCpuMs(this.ticksPerSecond) - postgresBefore;
    this.machineMs += machineBusyCpuMs(this.ticksPerSecond) - machineBefore;
    this.clientMs += (clientCpu.user + clientCpu.system) / 1000;
  }

  finish(): LoadPhase {
    clearInterval(this.sampler);
    const serviceMs = this.serviceUserMs + this.serviceSystemMs;
    return {
      logins: this.completed,
      wallSeconds: this.wallMs / 1000,
      latency: this.latency.summary(),
      failures: this.failures,
      serviceUserMs: this.serviceUserMs,
      serviceSystemMs: this.serviceSystemMs,
      postgresCpuMs: this.postgresMs,
      clientCpuMs: this.clientMs,
      otherCpuMs: Math.max(0, this.machineMs - serviceMs - this.postgresMs - this.clientMs),
      peakRssMiB: this.service.peakRssMiB(),
      sampledPeakRssMiB: this.sampledPeakRssMiB,
      checkpoints: this.checkpoints
        .filter((checkpoint) => this.checkpointRss.has(checkpoint))
        .map((checkpoint) => {
          const atCheckpoint = this.checkpointRss.get(checkpoint) ?? 0;
          const window = this.rssSamples
            .filter((sample) => sample.completed > checkpoint - MEMORY_WINDOW_LOGINS && sample.completed <= checkpoint)
            .map((sample) => sample.rssMiB)
            .sort((a, b) => a - b);
          return { logins: checkpoint, rssMiB: atCheckpoint, windowMedianRssMiB: percentile(window, 50) || atCheckpoint };
        }),
    };
  }
}
