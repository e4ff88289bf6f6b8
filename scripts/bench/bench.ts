import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureAuthnRequestCost, type AuthnRequestCost } from './authn-request-cost';
import { benchDatabaseName, recreateBenchDatabase } from './bench-database';
import { fail, integerOption } from './cli-options';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile-summary';
import { HttpClient } from './http-client';
import { round } from './latency';
import { LoadMeter, MEMORY_WINDOW_LOGINS, type LoadPhase, type MemoryCheckpoint } from './load-meter';
import { acsFailure } from './login-outcome';
import { readLoginStart, type IssuedRequest, type RequestBinding } from './login-start';
import { NodeSamlReference, type NodeSamlBaseline } from './node-saml-baseline';
import { benchUser, OktaLikeIdp, type SignedLogin } from './okta-like-idp';
import { PerfRecording, summarizePerf, type PerfSummary } from './perf-profile';
import { runScimCycle, type ScimCycleOptions } from './scim-cycle';
import { ServiceProcess, startScriptNodeFlags } from './service-process';
import { setUpBenchTenant, type BenchTenant } from './tenant-setup';

const USAGE = `Usage: npm run bench -- [options]
  Runs, each of --logins logins: IdP-initiated (ACS only); SP-initiated on the Redirect and on
  the POST binding (login starts, then the ACS answering them); mixed, 80 % SP-initiated.
  --logins N         logins per run, each a distinct signed response posted once (default 2000)
  --concurrency N    logins in flight at once, over keep-alive connections (default 16)
  --warmup N         extra logins before the measured ones, not measured (default 1000)
  --memory           20,000 logins per run, reporting the service's RSS at 5,000 and at 20,000
                     of the IdP-initiated run
  --log-level L      the service's LOG_LEVEL: info logs one line per request (default info)
  --baseline-max N   how many of the measured responses node-saml validates (default 2000)
  --cpu-prof         V8 profile of the service's main thread over one run
  --perf             Linux perf profile (on-CPU, all threads, kernel included) over one run
  --profile-run R    the run profiled: idp-initiated (default), redirect-start, redirect-acs,
                     post-start, post-acs or mixed
  --database-url U   loopback PostgreSQL database to drop and recreate
                     (default postgres://postgres@127.0.0.1:5432/sso_bench)
  --scim             instead of the logins: Entra ID's initial SCIM cycle against one tenant
                     (each user filtered by userName, then created; each group filtered, created,
                     then filled by PATCH Add members), --concurrency requests at once
  --scim-users N     users of the SCIM cycle (default 10000)
  --scim-groups N    groups of the SCIM cycle (default 500)
  --scim-group-size N  members of the largest group; sizes grow evenly up to it (default 2000)
  --scim-member-batch N  members per PATCH (default 100)`;

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
const TARGETS = { ratio: 0.5, spLoginRatio: 0.4, redirectStartCpuMs: 0.3, p99Ms: 50, p99MsLongRun: 25, rssGrowthPercent: 10 };
const BINDINGS: readonly RequestBinding[] = ['redirect', 'post'];
// Login starts before the measured runs, per binding, so that their code is compiled hot too.
const WARMUP_STARTS = 500;
const MIXED_IDP_INITIATED_PERCENT = 20;
const AUTHN_REQUEST_SAMPLES = 1000;

interface BenchOptions {
  logins: number;
  concurrency: number;
  warmup: number;
  logLevel: string;
  baselineMax: number;
  cpuProfile: boolean;
  perf: boolean;
  profileRun: ProfiledRun;
  databaseUrl: string;
  /** Set by --scim: the SCIM cycle runs instead of the logins. */
  scim: Omit<ScimCycleOptions, 'concurrency'> | null;
}

const PROFILED_RUNS = ['idp-initiated', 'redirect-start', 'redirect-acs', 'post-start', 'post-acs', 'mixed'] as const;
type ProfiledRun = (typeof PROFILED_RUNS)[number];

function profiledRun(value: string): ProfiledRun {
  if (!(PROFILED_RUNS as readonly string[]).includes(value)) throw new Error(`--profile-run must be one of ${PROFILED_RUNS.join(', ')}`);
  return value as ProfiledRun;
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
      'profile-run': { type: 'string', default: 'idp-initiated' },
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/sso_bench' },
      scim: { type: 'boolean', default: false },
      'scim-users': { type: 'string' },
      'scim-groups': { type: 'string' },
      'scim-group-size': { type: 'string' },
      'scim-member-batch': { type: 'string' },
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
    profileRun: profiledRun(values['profile-run'] as string),
    perf: values.perf as boolean,
    databaseUrl,
    scim: values.scim
      ? {
          users: integerOption(values['scim-users'], 'scim-users', 10_000, 1, 1_000_000),
          groups: integerOption(values['scim-groups'], 'scim-groups', 500, 1, 100_000),
          maxGroupSize: integerOption(values['scim-group-size'], 'scim-group-size', 2000, 1, 20_000),
          memberBatch: integerOption(values['scim-member-batch'], 'scim-member-batch', 100, 1, 10_000),
        }
      : null,
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
    exitCode = options.scim ? await scimBench(service, options, options.scim) : await bench(service, options, workDir);
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
  const tenants = await Promise.all(
    BINDINGS.map((binding) => setUpBenchTenant(setupClient, service.platformToken, idp, `Bench ${runId} ${binding}`, binding)),
  ).finally(() => setupClient.close());
  const tenantOf = (binding: RequestBinding) => tenants[BINDINGS.indexOf(binding)];
  const tenant = tenantOf('redirect');
  idp.assertSignaturesVerifyWithXmlCrypto(tenant);
  const memoryMode = options.logins >= MEMORY_MODE_LOGINS;
  const p99TargetMs = memoryMode ? TARGETS.p99MsLongRun : TARGETS.p99Ms;

  progress(`signing ${options.warmup + options.logins} distinct IdP-initiated responses`);
  const signingStarted = performance.now();
  let signed = 0;
  const sign = (target: BenchTenant, inResponseTo?: string): SignedLogin => {
    const user = benchUser(runId, signed++);
    return { email: user.email, samlResponse: idp.signedResponse(target, user, { validForSeconds: RESPONSE_VALIDITY_SECONDS, inResponseTo }) };
  };
  const warmup = Array.from({ length: options.warmup }, () => sign(tenant));
  const measured = Array.from({ length: options.logins }, () => sign(tenant));
  progress(`signed in ${round((performance.now() - signingStarted) / 1000, 1)} s`);
  const responseBytes = Buffer.from(measured[0].samlResponse, 'base64').length;

  const reference = new NodeSamlReference(idp, tenant);
  progress(`node-saml: ${warmup.length} warm-up validations`);
  await reference.warmUp(warmup);
  progress(`warm-up: ${warmup.length} IdP-initiated logins, ${Math.min(options.warmup, WARMUP_STARTS)} login starts per binding`);
  const warmupMeter = new LoadMeter(service);
  await runBatch(warmupMeter, service, warmup.length, options.concurrency, (client, index) => idpInitiatedLogin(warmupMeter, client, tenant, warmup[index]));
  for (const binding of BINDINGS) {
    await runBatch(warmupMeter, service, Math.min(options.warmup, WARMUP_STARTS), options.concurrency, (client) =>
      loginStart(warmupMeter, client, tenantOf(binding), binding).then(() => undefined),
    );
  }
  const warmupFailures = warmupMeter.finish().failures;

  const batches = split(measured, MEASURED_BATCHES);
  const referenceRounds = split(measured.slice(0, options.baselineMax), batches.length + 1);
  const meter = new LoadMeter(service, memoryMode ? MEMORY_CHECKPOINTS : []);
  const profiles: Profiles = { v8: null, perf: null };
  let profiledLogins = 0;
  /** Profiles the one run --profile-run names, when --cpu-prof or --perf asks for a profile. */
  const profiled = async (run: ProfiledRun, body: () => Promise<LoadPhase>): Promise<LoadPhase> => {
    if (run !== options.profileRun) return body();
    if (options.cpuProfile) await service.startProfiling();
    const recording = options.perf ? await PerfRecording.start(service.pid, join(workDir, 'perf.data'), PERF_FREQUENCY_HZ) : null;
    const result = await body();
    if (recording) await recording.stop();
    if (options.cpuProfile) profiles.v8 = summarizeCpuProfile(await service.stopProfiling(), PROFILE_LINES);
    if (recording) {
      profiles.perf = summarizePerf(recording.dataPath, service.pid, PROFILE_LINES);
      rmSync(recording.dataPath);
    }
    profiledLogins = result.logins;
    return result;
  };
  progress(
    `IdP-initiated: ${measured.length} logins at concurrency ${options.concurrency} in ${batches.length} batches,` +
      ` node-saml validating ${referenceRounds.flat().length} of the same responses around them`,
  );
  await reference.measure(referenceRounds[0]);
  const phase = await profiled('idp-initiated', async () => {
    let offset = 0;
    for (const [index, batch] of batches.entries()) {
      const first = offset;
      await runBatch(meter, service, batch.length, options.concurrency, (client, i) => idpInitiatedLogin(meter, client, tenant, measured[first + i]));
      offset += batch.length;
      await reference.measure(referenceRounds[index + 1]);
    }
    return meter.finish();
  });

  const spInitiated: SpInitiatedRun[] = [];
  for (const binding of BINDINGS) {
    const target = tenantOf(binding);
    progress(`SP-initiated, ${binding} binding: ${options.logins} login starts, then the ACS answering them`);
    const startMeter = new LoadMeter(service);
    const issued: IssuedRequest[] = [];
    const start = await profiled(`${binding}-start`, async () => {
      await runBatch(startMeter, service, options.logins, options.concurrency, async (client, index) => {
        const request = await loginStart(startMeter, client, target, binding);
        if (request) issued[index] = request;
      });
      return startMeter.finish();
    });
    const answered = issued.filter((request) => request !== undefined);
    const responses = answered.map((request) => ({ ...sign(target, request.requestId), relayState: request.relayState }));
    const acsMeter = new LoadMeter(service);
    const acs = await profiled(`${binding}-acs`, async () => {
      await runBatch(acsMeter, service, responses.length, options.concurrency, (client, index) =>
        spInitiatedAcs(acsMeter, client, target, responses[index]),
      );
      return acsMeter.finish();
    });
    // The same responses, through node-saml: a response answering a request costs it no more.
    if (binding === 'redirect') await reference.measure(responses.slice(0, Math.ceil(options.baselineMax / (MEASURED_BATCHES + 1))));
    spInitiated.push({ binding, start, acs });
  }

  progress(`mixed: ${options.logins} logins, ${100 - MIXED_IDP_INITIATED_PERCENT} % SP-initiated (Redirect), the rest IdP-initiated`);
  const mixedIdpInitiated = Array.from({ length: Math.ceil((options.logins * MIXED_IDP_INITIATED_PERCENT) / 100) }, () => sign(tenant));
  const mixedMeter = new LoadMeter(service);
  let nextIdpInitiated = 0;
  const mixed = await profiled('mixed', async () => {
    await runBatch(mixedMeter, service, options.logins, options.concurrency, async (client, index) => {
      if ((index * MIXED_IDP_INITIATED_PERCENT) % 100 < MIXED_IDP_INITIATED_PERCENT && nextIdpInitiated < mixedIdpInitiated.length) {
        await idpInitiatedLogin(mixedMeter, client, tenant, mixedIdpInitiated[nextIdpInitiated++]);
        return;
      }
      const request = await loginStart(mixedMeter, client, tenant, 'redirect');
      if (request) await spInitiatedAcs(mixedMeter, client, tenant, { ...sign(tenant, request.requestId), relayState: request.relayState });
    });
    return mixedMeter.finish();
  });
  const baseline = reference.summary();
  progress(`AuthnRequests built and signed in this process: ${AUTHN_REQUEST_SAMPLES} per way`);
  const authnRequestCost = measureAuthnRequestCost(AUTHN_REQUEST_SAMPLES);

  const nodeSamlMs = baseline.meanCpuUs / 1000;
  const serviceCpuPerLoginMs = cpuPerLogin(phase);
  const ratio = serviceCpuPerLoginMs / nodeSamlMs;
  const redirect = spInitiated[0];
  const spLoginCpuMs = (run: SpInitiatedRun) => cpuPerLogin(run.start) + cpuPerLogin(run.acs);
  const spRatio = spLoginCpuMs(redirect) / nodeSamlMs;
  const memoryGrowthPercent = growthPercent(phase.checkpoints);
  const runs = [phase, ...spInitiated.flatMap((run) => [run.start, run.acs]), mixed];
  const errors = runs.reduce((total, run) => total + run.failures, 0) + warmupFailures;
  const worstP99Ms = Math.max(...runs.flatMap((run) => [...run.legs.values()].map((leg) => leg.latency.p99Ms)));
  const targets = {
    ratio: ratio <= TARGETS.ratio,
    spLoginRatio: spRatio <= TARGETS.spLoginRatio,
    redirectAuthnRequestCpu: authnRequestCost['service-redirect'] <= TARGETS.redirectStartCpuMs,
    redirectStartCpu: cpuPerLogin(redirect.start) <= TARGETS.redirectStartCpuMs,
    errors: errors === 0 && baseline.failures === 0,
    p99: worstP99Ms < p99TargetMs,
    rssGrowth: memoryGrowthPercent === null ? null : memoryGrowthPercent < TARGETS.rssGrowthPercent,
  };
  const report: Report = { options, responseBytes, phase, spInitiated, mixed, baseline, authnRequestCost, ratio, spRatio, memoryGrowthPercent, warmupFailures, targets, p99TargetMs };
  printSummary(report);
  printProfiles(profiles, options.profileRun, profiledLogins);
  const perLogin = (ms: number) => round(ms / phase.logins, 3);
  const legsOf = (run: LoadPhase) =>
    Object.fromEntries(
      [...run.legs].map(([leg, summary]) => [
        leg,
        { requests: summary.latency.count, p50Ms: round(summary.latency.p50Ms), p99Ms: round(summary.latency.p99Ms), errors: summary.failures.total },
      ]),
    );
  const runJson = (run: LoadPhase) => ({
    logins: run.logins,
    loginsPerSecond: round(run.logins / run.wallSeconds, 1),
    serviceCpuPerLoginMs: round(cpuPerLogin(run), 3),
    postgresCpuPerLoginMs: round(run.postgresCpuMs / Math.max(1, run.logins), 3),
    loadAverage: round(run.loadAverage, 2),
    legs: legsOf(run),
  });
  process.stdout.write(
    `${JSON.stringify({
      bench: 'sso-logins',
      node: process.version,
      cpus: cpus().length,
      logins: phase.logins,
      concurrency: options.concurrency,
      warmup: warmup.length,
      logLevel: options.logLevel,
      serviceNodeFlags: startScriptNodeFlags(),
      responseBytes,
      loginsPerSecond: round(phase.logins / phase.wallSeconds, 1),
      p50Ms: round(phase.legs.get('acs')?.latency.p50Ms ?? 0),
      p99Ms: round(phase.legs.get('acs')?.latency.p99Ms ?? 0),
      maxMs: round(phase.legs.get('acs')?.latency.maxMs ?? 0),
      errors,
      serviceCpuPerLoginMs: round(serviceCpuPerLoginMs, 3),
      serviceUserCpuPerLoginMs: perLogin(phase.serviceUserMs),
      serviceSystemCpuPerLoginMs: perLogin(phase.serviceSystemMs),
      postgresCpuPerLoginMs: perLogin(phase.postgresCpuMs),
      clientCpuPerLoginMs: perLogin(phase.clientCpuMs),
      otherProcessesCpuPerLoginMs: perLogin(phase.otherCpuMs),
      loadAverage: round(phase.loadAverage, 2),
      spInitiated: Object.fromEntries(
        spInitiated.map((run) => [
          run.binding,
          { start: runJson(run.start), acs: runJson(run.acs), loginCpuMs: round(spLoginCpuMs(run), 3), ratio: round(spLoginCpuMs(run) / nodeSamlMs, 3) },
        ]),
      ),
      mixed: runJson(mixed),
      authnRequestCpuMs: Object.fromEntries(Object.entries(authnRequestCost).map(([way, cpuMs]) => [way, round(cpuMs, 3)])),
      nodeSamlCpuPerValidationMs: round(nodeSamlMs, 3),
      nodeSamlMedianCpuPerValidationMs: round(baseline.medianCpuUs / 1000, 3),
      nodeSamlRoundMeansCpuMs: baseline.roundMeansCpuUs.map((us) => round(us / 1000, 3)),
      nodeSamlValidations: baseline.validations,
      nodeSamlFailures: baseline.failures,
      ratio: round(ratio, 3),
      spLoginRatio: round(spRatio, 3),
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

interface SpInitiatedRun {
  binding: RequestBinding;
  start: LoadPhase;
  acs: LoadPhase;
}

interface Report {
  options: BenchOptions;
  responseBytes: number;
  phase: LoadPhase;
  spInitiated: SpInitiatedRun[];
  mixed: LoadPhase;
  baseline: NodeSamlBaseline;
  authnRequestCost: AuthnRequestCost;
  ratio: number;
  spRatio: number;
  memoryGrowthPercent: number | null;
  warmupFailures: number;
  targets: Record<string, boolean | null>;
  p99TargetMs: number;
}

const cpuPerLogin = (run: LoadPhase) => (run.serviceUserMs + run.serviceSystemMs) / Math.max(1, run.logins);

function idpInitiatedLogin(meter: LoadMeter, client: HttpClient, tenant: BenchTenant, login: SignedLogin): Promise<void> {
  return meter
    .request('acs', () => client.postForm(tenant.acsPath, { SAMLResponse: login.samlResponse, RelayState: RETURN_TO }), (result) => acsFailure(result, RETURN_TO))
    .then(() => undefined);
}

async function loginStart(meter: LoadMeter, client: HttpClient, tenant: BenchTenant, binding: RequestBinding): Promise<IssuedRequest | null> {
  let issued: IssuedRequest | null = null;
  await meter.request(
    'start',
    () => client.send('GET', `${tenant.loginPath}?returnTo=${encodeURIComponent(RETURN_TO)}`),
    (result) => {
      const read = readLoginStart(result, binding);
      if (typeof read === 'string') return read;
      issued = read;
      return null;
    },
  );
  return issued;
}

function spInitiatedAcs(meter: LoadMeter, client: HttpClient, tenant: BenchTenant, login: SignedLogin & { relayState: string }): Promise<void> {
  return meter
    .request('acs', () => client.postForm(tenant.acsPath, { SAMLResponse: login.samlResponse, RelayState: login.relayState }), (result) => acsFailure(result, RETURN_TO))
    .then(() => undefined);
}

/**
 * One batch over fresh keep-alive connections: node-saml's rounds between batches keep this
 * process's event loop busy for seconds, long enough for the service to close idle sockets.
 */
async function runBatch(
  meter: LoadMeter,
  service: ServiceProcess,
  count: number,
  concurrency: number,
  login: (client: HttpClient, index: number) => Promise<void>,
): Promise<void> {
  const client = new HttpClient(service.baseUrl, concurrency, REQUEST_TIMEOUT_MS);
  try {
    await meter.run(count, concurrency, (index) => login(client, index));
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

function printSummary(report: Report): void {
  const { options, phase, baseline } = report;
  const ms = (value: number) => `${round(value, 3)} ms`;
  const mark = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');
  const legLines = (label: string, run: LoadPhase) => [
    `  ${label.padEnd(24)}${round(run.logins / run.wallSeconds, 1)} logins/s, service CPU ${ms(cpuPerLogin(run))} per login` +
      ` (PostgreSQL ${ms(run.postgresCpuMs / Math.max(1, run.logins))}, bench client ${ms(run.clientCpuMs / Math.max(1, run.logins))},` +
      ` unrelated processes ${ms(run.otherCpuMs / Math.max(1, run.logins))}; load average ${round(run.loadAverage, 2)})`,
    ...[...run.legs].flatMap(([leg, summary]) => [
      `    ${leg.padEnd(22)}${summary.latency.count} requests, p50 ${round(summary.latency.p50Ms)} ms, p99 ${round(summary.latency.p99Ms)} ms,` +
        ` max ${round(summary.latency.maxMs)} ms, ${summary.failures.total} errors`,
      ...summary.failures.lines().map((line) => `                          ${line}`),
    ]),
  ];
  const nodeSamlMs = baseline.meanCpuUs / 1000;
  const lines = [
    '',
    `SSO login bench: ${phase.logins} logins per run at concurrency ${options.concurrency} after ${options.warmup} warm-up logins`,
    `  machine              ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}`,
    `  service              node ${startScriptNodeFlags().join(' ')} dist/src/main.js (as npm start), LOG_LEVEL=${options.logLevel}`,
    `  responses            ${report.responseBytes} bytes each, Okta-shaped: assertion signed (exc-c14n, RSA-SHA256, RSA-2048, KeyInfo), distinct IDs and users`,
    `  service CPU          /proc/<pid>/stat, all threads, user + system, read around each run`,
    ...legLines('IdP-initiated', phase),
    ...report.spInitiated.flatMap((run) => [
      ...legLines(`SP-init. ${run.binding} start`, run.start),
      ...legLines(`SP-init. ${run.binding} ACS`, run.acs),
      `  SP-init. ${run.binding.padEnd(12)}whole login ${ms(cpuPerLogin(run.start) + cpuPerLogin(run.acs))} of service CPU,` +
        ` ${round((cpuPerLogin(run.start) + cpuPerLogin(run.acs)) / nodeSamlMs, 3)} × node-saml's validation`,
    ]),
    ...legLines(`mixed ${100 - MIXED_IDP_INITIATED_PERCENT}/${MIXED_IDP_INITIATED_PERCENT}`, report.mixed),
    `  AuthnRequest alone   built and signed in-process, CPU each: Redirect ${ms(report.authnRequestCost['service-redirect'])},` +
      ` POST ${ms(report.authnRequestCost['service-post'])}; samlify's createLoginRequest, as before:` +
      ` Redirect ${ms(report.authnRequestCost['samlify-redirect'])}, POST ${ms(report.authnRequestCost['samlify-post'])}`,
    `  warm-up errors       ${report.warmupFailures}`,
    `  node-saml 5.1.0      ${ms(nodeSamlMs)} CPU per validation (mean; median ${ms(baseline.medianCpuUs / 1000)};` +
      ` by round ${baseline.roundMeansCpuUs.map((us) => round(us / 1000, 3)).join(' / ')} ms),` +
      ` ${baseline.validations} validated, ${baseline.failures} refused${baseline.firstFailure ? ` (first: ${baseline.firstFailure})` : ''}`,
    `  RATIO                ${round(report.ratio, 3)}  (IdP-initiated: service CPU per login ÷ node-saml CPU per validation)`,
    `  SP-INITIATED RATIO   ${round(report.spRatio, 3)}  (Redirect: login start + ACS service CPU per login ÷ node-saml CPU per validation)`,
    `  service RSS          peak ${round(phase.peakRssMiB, 1)} MiB (VmHWM), highest sampled VmRSS ${round(phase.sampledPeakRssMiB, 1)} MiB`,
    ...phase.checkpoints.map(
      (checkpoint) =>
        `  RSS at ${String(checkpoint.logins).padEnd(14)}${round(checkpoint.windowMedianRssMiB, 1)} MiB (median VmRSS over the ${MEMORY_WINDOW_LOGINS} logins before;` +
        ` ${round(checkpoint.rssMiB, 1)} MiB at that login)`,
    ),
    ...(report.memoryGrowthPercent === null
      ? []
      : [`  RSS growth           ${round(report.memoryGrowthPercent, 1)} % from ${MEMORY_CHECKPOINTS[0]} to ${MEMORY_CHECKPOINTS[1]} logins`]),
    `  targets              IdP-initiated ratio ≤ ${TARGETS.ratio}: ${mark(report.targets.ratio)};` +
      ` SP-initiated ratio ≤ ${TARGETS.spLoginRatio}: ${mark(report.targets.spLoginRatio)};` +
      ` Redirect AuthnRequest ≤ ${TARGETS.redirectStartCpuMs} ms CPU: ${mark(report.targets.redirectAuthnRequestCpu)};`,
    `                       whole Redirect login start ≤ ${TARGETS.redirectStartCpuMs} ms service CPU: ${mark(report.targets.redirectStartCpu)};`,
    `                       zero errors: ${mark(report.targets.errors)}; every leg's p99 < ${report.p99TargetMs} ms: ${mark(report.targets.p99)};` +
      ` RSS growth < ${TARGETS.rssGrowthPercent} %: ${mark(report.targets.rssGrowth)}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printProfiles(profiles: Profiles, run: ProfiledRun, logins: number): void {
  const lines: string[] = [];
  const perLogin = (ms: number) => `${Math.round((1000 * ms) / Math.max(1, logins))} µs/login`.padStart(14);
  const row = (percent: number, ms: number, name: string) => `    ${percent.toFixed(1).padStart(5)} %  ${perLogin(ms)}  ${name}`;
  if (profiles.perf) {
    const { perf } = profiles;
    const msPerSample = 1000 / PERF_FREQUENCY_HZ;
    const rows = (entries: typeof perf.areas) => entries.map((entry) => row(entry.percent, entry.samples * msPerSample, entry.name));
    lines.push(
      `perf, service process, ${run} run: ${perf.samples} on-CPU samples at ${PERF_FREQUENCY_HZ} Hz ≈ ${perLogin(perf.samples * msPerSample).trim()}`,
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
      `V8 profile, service main thread, ${run} run: ${round(v8.busyMs)} ms busy (${perLogin(v8.busyMs).trim()}), ${round(v8.idleMs)} ms idle`,
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

/** Every 50th group of the cycle (sizes grow with the index, so small and large ones), at least one. */
function mappedGroups(groups: number): string[] {
  return Array.from({ length: Math.max(1, Math.floor(groups / 50)) }, (_, index) => `bench-group-${Math.min(index * 50 + 49, groups - 1)}`);
}

/** The SCIM cycle on a fresh organization with one SCIM token and a role mapping; the report is one JSON line on stdout. */
async function scimBench(service: ServiceProcess, options: BenchOptions, scim: Omit<ScimCycleOptions, 'concurrency'>): Promise<number> {
  const setupClient = new HttpClient(service.baseUrl, 1, REQUEST_TIMEOUT_MS);
  const organization = await setupClient.json<{ id: string }>('POST', '/api/v1/organizations', service.platformToken, { name: 'Bench SCIM' });
  const { token } = await setupClient.json<{ token: string }>(
    'POST',
    `/api/v1/organizations/${organization.id}/scim/tokens`,
    service.platformToken,
    { name: 'bench' },
  );
  // Groups decide roles, as a tenant that maps a few of its directory groups: those groups' member
  // changes recompute their members' roles, the others' do not (see ScimMemberships).
  const roleMappingGroups = mappedGroups(scim.groups);
  await setupClient.json('POST', `/api/v1/organizations/${organization.id}/sso/enable`, service.platformToken, {});
  await setupClient.json('PATCH', `/api/v1/organizations/${organization.id}/sso`, service.platformToken, {
    groupsOverrideRole: true,
    roleMapping: roleMappingGroups.map((group, index) => ({ group, role: index === 0 ? 'admin' : 'member' })),
    defaultRole: 'viewer',
  });
  setupClient.close();
  const client = new HttpClient(service.baseUrl, options.concurrency, REQUEST_TIMEOUT_MS);
  progress(
    `SCIM cycle: ${scim.users} users, ${scim.groups} groups up to ${scim.maxGroupSize} members (${roleMappingGroups.length} of them in roleMapping), ${options.concurrency} requests at once`,
  );
  const cpuBefore = service.cpuTimes();
  if (options.cpuProfile) await service.startProfiling();
  const report = await runScimCycle(client, `/scim/v2/organization/${organization.id}`, token, { ...scim, concurrency: options.concurrency }).finally(() =>
    client.close(),
  );
  const cpuAfter = service.cpuTimes();
  const cpuProfile = options.cpuProfile ? summarizeCpuProfile(await service.stopProfiling(), PROFILE_LINES) : null;
  for (const phase of report.phases) {
    progress(`${phase.name}: ${phase.requests} requests in ${phase.seconds} s, ${phase.requestsPerSecond}/s, p50 ${phase.latency.p50Ms} ms, p99 ${phase.latency.p99Ms} ms`);
  }
  progress(`total: ${report.total.requests} requests in ${report.total.seconds} s, ${report.total.requestsPerSecond}/s (Entra asks at least ${report.entraMinimumPerSecond}/s)`);
  const serviceCpuMs = cpuAfter.userMs + cpuAfter.systemMs - cpuBefore.userMs - cpuBefore.systemMs;
  process.stdout.write(
    `${JSON.stringify({
      bench: 'scim-entra-initial-cycle',
      node: process.version,
      cpus: cpus().length,
      concurrency: options.concurrency,
      logLevel: options.logLevel,
      ...report,
      roleMappingGroups,
      serviceCpuPerRequestMs: round(serviceCpuMs / Math.max(1, report.total.requests), 3),
      ...(cpuProfile ? { cpuProfile } : {}),
    })}\n`,
  );
  if (report.failures.length > 0) {
    process.stderr.write(`failed requests (first ${report.failures.length}):\n${report.failures.join('\n')}\n`);
    return 1;
  }
  return 0;
}

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

void main();
