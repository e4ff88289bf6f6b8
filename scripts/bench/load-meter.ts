import { loadavg } from 'node:os';
import { runConcurrently } from './concurrency';
import { LatencyRecorder, percentile, type LatencySummary } from './latency';
import { FailureTally } from './login-outcome';
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

/** One kind of request of a login (the login start, the ACS): how fast it answered, how often not as expected. */
export interface LegSummary {
  latency: LatencySummary;
  failures: FailureTally;
}

export interface LoadPhase {
  logins: number;
  /** Time spent running logins, pauses between batches excluded. */
  wallSeconds: number;
  legs: Map<string, LegSummary>;
  /** Every leg's failures together. */
  failures: number;
  serviceUserMs: number;
  serviceSystemMs: number;
  postgresCpuMs: number;
  clientCpuMs: number;
  /** CPU used on the machine by everything else meanwhile: how noisy the run was. */
  otherCpuMs: number;
  /** The machine's 1-minute load average at the end of the run (2 CPUs here): figures read at 6 are not a quiet machine's. */
  loadAverage: number;
  peakRssMiB: number;
  sampledPeakRssMiB: number;
  checkpoints: MemoryCheckpoint[];
}

/**
 * Runs batches of logins, each one or more timed requests (legs), and adds up what they cost:
 * latency and failures per leg, and the CPU of the service, PostgreSQL, this client and everything
 * else, read around each batch only. VmRSS is sampled throughout, and read at the given login counts.
 */
export class LoadMeter {
  private readonly legs = new Map<string, { latency: LatencyRecorder; failures: FailureTally }>();
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
    private readonly checkpoints: readonly number[] = [],
  ) {
    this.sampledPeakRssMiB = service.rssMiB();
    this.sampler = setInterval(() => {
      const rssMiB = service.rssMiB();
      this.sampledPeakRssMiB = Math.max(this.sampledPeakRssMiB, rssMiB);
      if (this.posting) this.rssSamples.push({ completed: this.completed, rssMiB });
    }, RSS_SAMPLE_INTERVAL_MS);
  }

  /**
   * Times one request of a login under its leg. `check` says what was wrong with the answer (null
   * when nothing); the answer is returned only when it was right, so that the login can go on.
   */
  async request<T>(leg: string, send: () => Promise<T>, check: (result: T) => string | null): Promise<T | null> {
    let entry = this.legs.get(leg);
    if (!entry) {
      entry = { latency: new LatencyRecorder(), failures: new FailureTally() };
      this.legs.set(leg, entry);
    }
    const sent = performance.now();
    try {
      const result = await send();
      entry.latency.record(performance.now() - sent);
      const failure = check(result);
      if (failure === null) return result;
      entry.failures.record(failure.split(':')[0], failure);
    } catch (error) {
      entry.failures.record('no HTTP answer', (error as Error).message);
    }
    return null;
  }

  /** Runs `count` logins, `concurrency` at a time; `login(index)` makes its requests through `request`. */
  async run(count: number, concurrency: number, login: (index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const serviceBefore = this.service.cpuTimes();
    const postgresBefore = postgresCpuMs(this.ticksPerSecond);
    const machineBefore = machineBusyCpuMs(this.ticksPerSecond);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    this.posting = true;
    await runConcurrently(concurrency, async () => {
      if (next >= count) return false;
      await login(next++);
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
      legs: new Map([...this.legs].map(([leg, entry]) => [leg, { latency: entry.latency.summary(), failures: entry.failures }])),
      failures: [...this.legs.values()].reduce((total, entry) => total + entry.failures.total, 0),
      serviceUserMs: this.serviceUserMs,
      serviceSystemMs: this.serviceSystemMs,
      postgresCpuMs: this.postgresMs,
      clientCpuMs: this.clientMs,
      otherCpuMs: Math.max(0, this.machineMs - serviceMs - this.postgresMs - this.clientMs),
      loadAverage: loadavg()[0],
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
