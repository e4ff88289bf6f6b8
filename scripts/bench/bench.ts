import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDatabaseName, recreateBenchDatabase } from './bench-database';
import { fail, integerOption } from './cli-options';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary';
import { HttpClient } from './http-client';
import { round } from './latency';
import { LoadMeter, MEMORY_WINDOW_LOGINS, type LoadPhase, type MemoryCheckpoint } from './load-meter';
import type { FailureTally } from './login-outcome';
import { NodeSamlReference, type NodeSamlBaseline } from './node-saml-baseline';
import { benchUser, OktaLikeIdp, type SignedLogin } from './okta-like-idp';
import { PerfRecording, summarizePerf, type PerfSummary } from './perf-profile';
import { ServiceProcess, startScriptNodeFlags } from './service-process';
import { setUpBenchTenant } from './tenant-setup';

const USAGE = `Usage: npm run bench -- [options]
  --logins N         measured logins, each a distinct signed response posted once (default 2000)
  --concurrency N    logins in flight at once, over keep-alive connections (default 16)
  --warmup N         extra logins before the measured ones, not measured (default 1000)
  --memory           20,000 logins, reporting the service's RSS at 5,000 and at 20,000
  --log-level L      the service's LOG_LEVEL: info logs one line per request (default info)
  --baseline-max N   how many of the measured responses node-saml validates (default 2000)
  --cpu-prof         V8 profile of the service's main thread over the measured logins
  --perf             Linux perf profile (on-CPU, all threads, kernel included) over the measured logins
  --database-url U   loopback PostgreSQL database to drop and recreate
                     (default postgres://postgres@127.0.0.1:5432/sso_bench)`;

const REQUEST_TIMEOUT_MS = 30_000;
// Every response is signed before the run; this keeps the last one valid until it is posted.
const RESPONSE_VALIDITY_SECONDS = 2 * 3600;
const MEMORY_MODE_LOGINS = 20_000;
const MEMORY_CHECKPOINTS = [5_000, 20_000];
// The measured logins go in this many batches, with node-saml's validations before, between and
// after them: both sides of the ratio then see the machine in the same states, which matters on a
// machine where other work comes and goes.
const MEASURED_BATCHES = 4;
const PERF_FREQUENCY_HZ = 997;
const PROFILE_LINES = 25;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const RETURN_TO = '/dashboard';
const TARGETS = { ratio: 0.5, p99Ms: 50, rssGrowthPercent: 10 };

interface BenchOptions {
  logins: number;
  concurrency: number;
  warmup: number;
  logLevel: string;
  baselineMax: number;
  cpuProfile: boolean;
  perf: boolean;
  databaseUrl: string;
}

interface Profiles {
  v8: ProfileSummary | null;
  perf: PerfSummary | null;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      logins: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      memory: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'baseline-max': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      perf: { type: 'boolean', default: false },
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/sso_bench' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const logLevel = values['log-level'] as string;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  const databaseUrl = values['database-url'] as string;
  benchDatabaseName(databaseUrl);
  return {
    logins: integerOption(values.logins, 'logins', values.memory ? MEMORY_MODE_LOGINS : 2000, 1, 200_000),
    concurrency: integerOption(values.concurrency, 'concurrency', 16, 1, 1024),
    warmup: integerOption(values.warmup, 'warmup', 1000, 0, 20_000),
    logLevel,
    baselineMax: integerOption(values['baseline-max'], 'baseline-max', 2000, 1, 200_000),
    cpuProfile: values['cpu-prof'] as boolean,
    perf: values.perf as boolean,
    databaseUrl,
  };
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'sso-bench-'));
  progress(`recreating database ${benchDatabaseName(options.databaseUrl)}; service log in ${workDir}/service.log`);
  let service: ServiceProcess;
  try {
    await recreateBenchDatabase(options.databaseUrl);
    service = await ServiceProcess.start({
      databaseUrl: options.databaseUrl,
      logLevel: options.logLevel,
      logFile: join(workDir, 'service.log'),
      dataDir: join(workDir, 'data'),
      cpuProfilePath: options.cpuProfile ? join(workDir, 'service.cpuprofile') : undefined,
      perfMap: options.perf,
    });
  } catch (error) {
    fail(`bench could not start: ${(error as Error).message}`);
  }
  progress(`service pid ${service.pid} ready on ${service.baseUrl.origin}`);
  let exitCode: number;
  try {
    exitCode = await bench(service, options, workDir);
  } catch (error) {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\nservice log tail:\n${service.logTail()}\n`);
    exitCode = 1;
  } finally {
    const serviceExit = await service.stop();
    progress(`service stopped (exit status ${serviceExit ?? 'by signal'})`);
  }
  process.exit(exitCode);
}

async function bench(service: ServiceProcess, options: BenchOptions, workDir: string): Promise<number> {
  const runId = randomBytes(4).toString('hex');
  const idp = new OktaLikeIdp();
  const setupClient = new HttpClient(service.baseUrl, 1, REQUEST_TIMEOUT_MS);
  const tenant = await setUpBenchTenant(setupClient, service.platformToken, idp, `Bench ${runId}`).finally(() => setupClient.close());
  idp.assertSignaturesVerifyWithXmlCrypto(tenant);

  progress(`signing ${options.warmup + options.logins} distinct responses`);
  const signingStarted = performance.now();
  const sign = (index: number): SignedLogin => {
    const user = benchUser(runId, index);
    return { email: user.email, samlResponse: idp.signedResponse(tenant, user, { validForSeconds: RESPONSE_VALIDITY_SECONDS }) };
  };
  const warmup = Array.from({ length: options.warmup }, (_, index) => sign(index));
  const measured = Array.from({ length: options.logins }, (_, index) => sign(options.warmup + index));
  progress(`signed in ${round((performance.now() - signingStarted) / 1000, 1)} s`);
  const responseBytes = Buffer.from(measured[0].samlResponse, 'base64').length;

  const reference = new NodeSamlReference(idp, tenant);
  progress(`node-saml: ${warmup.length} warm-up validations`);
  await reference.warmUp(warmup);
  progress(`warm-up: ${warmup.length} logins`);
  const warmupMeter = new LoadMeter(service, tenant.acsPath, RETURN_TO, []);
  await postBatch(warmupMeter, service, warmup, options.concurrency);
  const warmupFailures = warmupMeter.finish().failures;

  const batches = split(measured, MEASURED_BATCHES);
  const referenceRounds = split(measured.slice(0, options.baselineMax), batches.length + 1);
  const meter = new LoadMeter(service, tenant.acsPath, RETURN_TO, measured.length >= MEMORY_MODE_LOGINS ? MEMORY_CHECKPOINTS : []);
  const profiles: Profiles = { v8: null, perf: null };
  if (options.cpuProfile) await service.startProfiling();
  const perf = options.perf ? await PerfRecording.start(service.pid, join(workDir, 'perf.data'), PERF_FREQUENCY_HZ) : null;
  progress(
    `measured: ${measured.length} logins at concurrency ${options.concurrency} in ${batches.length} batches,` +
      ` node-saml validating ${referenceRounds.flat().length} of the same responses around them`,
  );
  await reference.measure(referenceRounds[0]);
  for (const [index, batch] of batches.entries()) {
    await postBatch(meter, service, batch, options.concurrency);
    await reference.measure(referenceRounds[index + 1]);
  }
  const phase = meter.finish();
  if (perf) await perf.stop();
  if (options.cpuProfile) profiles.v8 = summarizeCpuProfile(await service.stopProfiling(), PROFILE_LINES);
  if (perf) {
    profiles.perf = summarizePerf(perf.dataPath, service.pid, PROFILE_LINES);
    rmSync(perf.dataPath);
  }
  const baseline = reference.summary();

  const serviceCpuPerLoginMs = (phase.serviceUserMs + phase.serviceSystemMs) / phase.logins;
  const ratio = serviceCpuPerLoginMs / (baseline.meanCpuUs / 1000);
  const memoryGrowthPercent = growthPercent(phase.checkpoints);
  const errors = phase.failures.total + warmupFailures.total;
  const targets = {
    ratio: ratio <= TARGETS.ratio,
    errors: errors === 0 && baseline.failures === 0,
    p99: phase.latency.p99Ms < TARGETS.p99Ms,
    rssGrowth: memoryGrowthPercent === null ? null : memoryGrowthPercent < TARGETS.rssGrowthPercent,
  };
  printSummary(options, responseBytes, phase, baseline, ratio, memoryGrowthPercent, warmupFailures, targets);
  printProfiles(profiles, phase);
  const perLogin = (ms: number) => round(ms / phase.logins, 3);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'acs-logins',
      node: process.version,
      cpus: cpus().length,
      logins: phase.logins,
      concurrency: options.concurrency,
      warmup: warmup.length,
      logLevel: options.logLevel,
      serviceNodeFlags: startScriptNodeFlags(),
      responseBytes,
      loginsPerSecond: round(phase.logins / phase.wallSeconds, 1),
      p50Ms: round(phase.latency.p50Ms),
      p99Ms: round(phase.latency.p99Ms),
      maxMs: round(phase.latency.maxMs),
      errors,
      serviceCpuPerLoginMs: round(serviceCpuPerLoginMs, 3),
      serviceUserCpuPerLoginMs: perLogin(phase.serviceUserMs),
      serviceSystemCpuPerLoginMs: perLogin(phase.serviceSystemMs),
      postgresCpuPerLoginMs: perLogin(phase.postgresCpuMs),
      clientCpuPerLoginMs: perLogin(phase.clientCpuMs),
      otherProcessesCpuPerLoginMs: perLogin(phase.otherCpuMs),
      nodeSamlCpuPerValidationMs: round(baseline.meanCpuUs / 1000, 3),
      nodeSamlMedianCpuPerValidationMs: round(baseline.medianCpuUs / 1000, 3),
      nodeSamlRoundMeansCpuMs: baseline.roundMeansCpuUs.map((us) => round(us / 1000, 3)),
      nodeSamlValidations: baseline.validations,
      nodeSamlFailures: baseline.failures,
      ratio: round(ratio, 3),
      peakRssMiB: round(phase.peakRssMiB, 1),
      sampledPeakRssMiB: round(phase.sampledPeakRssMiB, 1),
      memoryCheckpoints: phase.checkpoints.map((checkpoint) => ({
        logins: checkpoint.logins,
        rssMiB: round(checkpoint.rssMiB, 1),
        windowMedianRssMiB: round(checkpoint.windowMedianRssMiB, 1),
      })),
      rssGrowthPercent: memoryGrowthPercent === null ? null : round(memoryGrowthPercent, 1),
      targetsMet: targets,
    })}\n`,
  );
  if (errors > 0 || baseline.failures > 0) return 1;
  return Object.values(targets).every((met) => met !== false) ? 0 : 2;
}

/**
 * One batch over fresh keep-alive connections: node-saml's rounds between batches keep this
 * process's event loop busy for seconds, long enough for the service to close idle sockets.
 */
async function postBatch(meter: LoadMeter, service: ServiceProcess, logins: readonly SignedLogin[], concurrency: number): Promise<void> {
  const client = new HttpClient(service.baseUrl, concurrency, REQUEST_TIMEOUT_MS);
  try {
    await meter.post(client, logins, concurrency);
  } finally {
    client.close();
  }
}

/** `items` in `parts` consecutive slices of near-equal length (fewer when there are fewer items). */
function split<T>(items: readonly T[], parts: number): T[][] {
  const count = Math.max(1, Math.min(parts, items.length));
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, index) => items.slice(index * size, (index + 1) * size));
}

function growthPercent(checkpoints: MemoryCheckpoint[]): number | null {
  if (checkpoints.length < 2) return null;
  const first = checkpoints[0].windowMedianRssMiB;
  const last = checkpoints[checkpoints.length - 1].windowMedianRssMiB;
  return (100 * (last - first)) / first;
}

function printSummary(
  options: BenchOptions,
  responseBytes: number,
  phase: LoadPhase,
  baseline: NodeSamlBaseline,
  ratio: number,
  memoryGrowthPercent: number | null,
  warmupFailures: FailureTally,
  targets: Record<string, boolean | null>,
): void {
  const perLogin = (ms: number) => `${round(ms / phase.logins, 3)} ms`;
  const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');
  const lines = [
    '',
    `SSO ACS bench: ${phase.logins} logins at concurrency ${options.concurrency} after ${options.warmup} warm-up logins`,
    `  machine              ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`,
    `  service              node ${startScriptNodeFlags().join(' ')} dist/src/main.js (as npm start), LOG_LEVEL=${options.logLevel}`,
    `  responses            ${responseBytes} bytes each, Okta-shaped: assertion signed (exc-c14n, RSA-SHA256, RSA-2048, KeyInfo), distinct IDs and users`,
    `  throughput           ${round(phase.logins / phase.wallSeconds, 1)} logins/s (${round(phase.wallSeconds, 1)} s)`,
    `  latency              p50 ${round(phase.latency.p50Ms)} ms, p99 ${round(phase.latency.p99Ms)} ms, max ${round(phase.latency.maxMs)} ms`,
    `  errors               ${phase.failures.total} (warm-up: ${warmupFailures.total})`,
    ...[...phase.failures.lines(), ...warmupFailures.lines()].map((line) => `                       ${line}`),
    `  service CPU          ${perLogin(phase.serviceUserMs + phase.serviceSystemMs)} per login` +
      ` (user ${perLogin(phase.serviceUserMs)}, system ${perLogin(phase.serviceSystemMs)}; /proc/<pid>/stat, all threads)`,
    `  other CPU per login  PostgreSQL ${perLogin(phase.postgresCpuMs)}, bench client ${perLogin(phase.clientCpuMs)},` +
      ` unrelated processes ${perLogin(phase.otherCpuMs)}`,
    `  node-saml 5.1.0      ${round(baseline.meanCpuUs / 1000, 3)} ms CPU per validation (mean; median ${round(baseline.medianCpuUs / 1000, 3)} ms;` +
      ` by round ${baseline.roundMeansCpuUs.map((us) => round(us / 1000, 3)).join(' / ')} ms),` +
      ` ${baseline.validations} validated, ${baseline.failures} refused${baseline.firstFailure ? ` (first: ${baseline.firstFailure})` : ''}`,
    `  RATIO                ${round(ratio, 3)}  (service CPU per login ÷ node-saml CPU per validation)`,
    `  service RSS          peak ${round(phase.peakRssMiB, 1)} MiB (VmHWM), highest sampled VmRSS ${round(phase.sampledPeakRssMiB, 1)} MiB`,
    ...phase.checkpoints.map(
      (checkpoint) =>
        `  RSS at ${String(checkpoint.logins).padEnd(14)}${round(checkpoint.windowMedianRssMiB, 1)} MiB (median VmRSS over the ${MEMORY_WINDOW_LOGINS} logins before;` +
        ` ${round(checkpoint.rssMiB, 1)} MiB at that login)`,
    ),
    ...(memoryGrowthPercent === null
      ? []
      : [`  RSS growth           ${round(memoryGrowthPercent, 1)} % from ${MEMORY_CHECKPOINTS[0]} to ${MEMORY_CHECKPOINTS[1]} logins`]),
    `  targets              ratio ≤ ${TARGETS.ratio}: ${mark(targets.ratio)}; zero errors: ${mark(targets.errors)};` +
      ` p99 < ${TARGETS.p99Ms} ms: ${mark(targets.p99)}; RSS growth < ${TARGETS.rssGrowthPercent} %: ${mark(targets.rssGrowth)}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printProfiles(profiles: Profiles, phase: LoadPhase): void {
  const lines: string[] = [];
  const perLogin = (ms: number) => `${Math.round((1000 * ms) / phase.logins)} µs/login`.padStart(14);
  const row = (percent: number, ms: number, name: string) => `    ${percent.toFixed(1).padStart(5)} %  ${perLogin(ms)}  ${name}`;
  if (profiles.perf) {
    const { perf } = profiles;
    const msPerSample = 1000 / PERF_FREQUENCY_HZ;
    const rows = (entries: typeof perf.areas) => entries.map((entry) => row(entry.percent, entry.samples * msPerSample, entry.name));
    lines.push(
      `perf, service process, measured phase: ${perf.samples} on-CPU samples at ${PERF_FREQUENCY_HZ} Hz ≈ ${perLogin(perf.samples * msPerSample).trim()}`,
      '  by thread:',
      ...rows(perf.threads),
      '  by kind of code (self):',
      ...rows(perf.kinds),
      '  by area, native and kernel time charged to the nearest JavaScript caller:',
      ...rows(perf.areas),
      '  by JavaScript function, the same way:',
      ...rows(perf.functions),
      "  the service's own functions, inclusive (synchronous stretches; an await ends the stack):",
      ...rows(perf.serviceFunctionsInclusive),
      '',
    );
  }
  if (profiles.v8) {
    const { v8 } = profiles;
    const rows = (entries: typeof v8.functions) => entries.map((entry) => row(entry.percent, entry.selfMs, entry.name));
    lines.push(
      `V8 profile, service main thread, measured phase: ${round(v8.busyMs)} ms busy (${perLogin(v8.busyMs).trim()}), ${round(v8.idleMs)} ms idle`,
      '  (wall-clock samples: time the thread spent descheduled counts against the call it was in)',
      '  by area (self):',
      ...rows(v8.areas),
      '  by function (self):',
      ...rows(v8.functions),
      "  the service's own functions (inclusive):",
      ...rows(v8.serviceFunctionsInclusive),
      '',
    );
  }
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

void main();
