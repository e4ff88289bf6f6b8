import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { fail, integerOption } from '../bench/cli-options';
import { runConcurrently } from '../bench/concurrency';
import { HttpClient } from '../bench/http-client';
import { LatencyRecorder, round, type LatencySummary } from '../bench/latency';
import { acsFailure, FailureTally, pageSummary } from '../bench/login-outcome';
import { loopbackUrl } from '../bench/loopback';
import { clockTicksPerSecond, machineBusyCpuMs } from '../bench/proc-stats';
import { benchUser, OktaLikeIdp } from '../bench/okta-like-idp';
import { setUpBenchTenant, type BenchTenant } from '../bench/tenant-setup';

const USAGE = `Usage: npm run load -- [options]     (against a running service started with RATE_LIMIT_PER_MINUTE=0)
  --url U                    the service, on this machine only (default http://127.0.0.1:3000)
  --token T                  platform admin token (default: $PLATFORM_ADMIN_TOKEN, else $DATA_DIR/platform-admin-token,
                             DATA_DIR defaulting to ./data)
  --duration S               seconds of logins (default 30)
  --concurrency N            logins in flight at once (default 32)
  --sp-initiated-percent P   share of SP-initiated logins, the rest IdP-initiated (default 50)`;

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_AUTHN_REQUEST_BYTES = 1024 * 1024;
const IDP_INITIATED_RETURN_TO = '/load/idp-initiated';

interface LoadOptions {
  url: URL;
  token: string;
  durationSeconds: number;
  concurrency: number;
  spInitiatedPercent: number;
}

interface LoadStats {
  idpInitiatedAcs: LatencyRecorder;
  spInitiatedAcs: LatencyRecorder;
  allAcs: LatencyRecorder;
  loginStart: LatencyRecorder;
  failures: FailureTally;
  succeeded: { idpInitiated: number; spInitiated: number };
}

function parseOptions(argv: string[]): LoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      token: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      'sp-initiated-percent': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    url: loopbackUrl(values.url as string, '--url'),
    token: values.token ?? platformTokenFromEnvironment(),
    durationSeconds: integerOption(values.duration, 'duration', 30, 1, 3600),
    concurrency: integerOption(values.concurrency, 'concurrency', 32, 1, 1024),
    spInitiatedPercent: integerOption(values['sp-initiated-percent'], 'sp-initiated-percent', 50, 0, 100),
  };
}

function platformTokenFromEnvironment(): string {
  if (process.env.PLATFORM_ADMIN_TOKEN) return process.env.PLATFORM_ADMIN_TOKEN;
  const path = join(resolve(process.env.DATA_DIR || './data'), 'platform-admin-token');
  if (!existsSync(path)) throw new Error(`no --token given, PLATFORM_ADMIN_TOKEN is unset and ${path} does not exist`);
  return readFileSync(path, 'utf8').trim();
}

async function main(): Promise<void> {
  let options: LoadOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const client = new HttpClient(options.url, options.concurrency, REQUEST_TIMEOUT_MS);
  let exitCode = 1;
  try {
    const ready = await client.send('GET', '/health/ready');
    if (ready.status !== 200) throw new Error(`${options.url.origin}/health/ready answered ${ready.status}: the service is not ready`);
    const idp = new OktaLikeIdp();
    const runId = randomBytes(4).toString('hex');
    const tenant = await setUpBenchTenant(client, options.token, idp, `Load ${runId}`);
    idp.assertSignaturesVerifyWithXmlCrypto(tenant);
    process.stderr.write(
      `[load] ${options.durationSeconds} s of logins at concurrency ${options.concurrency} against ${options.url.origin},` +
        ` organization ${tenant.organizationId}, ${options.spInitiatedPercent} % SP-initiated\n`,
    );
    const report = await runLoad(client, idp, tenant, runId, options);
    exitCode = report.errors === 0 && report.logins > 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`load test failed: ${(error as Error).message}\n`);
  } finally {
    client.close();
  }
  process.exit(exitCode);
}

async function runLoad(
  client: HttpClient,
  idp: OktaLikeIdp,
  tenant: BenchTenant,
  runId: string,
  options: LoadOptions,
): Promise<{ logins: number; errors: number }> {
  const stats: LoadStats = {
    idpInitiatedAcs: new LatencyRecorder(),
    spInitiatedAcs: new LatencyRecorder(),
    allAcs: new LatencyRecorder(),
    loginStart: new LatencyRecorder(),
    failures: new FailureTally(),
    succeeded: { idpInitiated: 0, spInitiated: 0 },
  };
  let started = 0;
  const ticksPerSecond = clockTicksPerSecond();
  const machineBefore = machineBusyCpuMs(ticksPerSecond);
  const clientCpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + options.durationSeconds * 1000;
  await runConcurrently(options.concurrency, async () => {
    if (performance.now() >= deadline) return false;
    const index = started++;
    try {
      if (index % 100 < options.spInitiatedPercent) await spInitiatedLogin(client, idp, tenant, runId, index, stats);
      else await idpInitiatedLogin(client, idp, tenant, runId, index, stats);
    } catch (error) {
      stats.failures.record('no HTTP answer', (error as Error).message);
    }
    return true;
  });
  const wallSeconds = (performance.now() - startedAt) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const machineCores = (machineBusyCpuMs(ticksPerSecond) - machineBefore) / 1000 / wallSeconds;
  const logins = stats.succeeded.idpInitiated + stats.succeeded.spInitiated;
  const errors = stats.failures.total;
  const acs = stats.allAcs.summary();
  const latencyLine = (name: string, summary: LatencySummary) =>
    `  ${name.padEnd(22)} p50 ${round(summary.p50Ms)} ms, p99 ${round(summary.p99Ms)} ms, max ${round(summary.maxMs)} ms (${summary.count} requests)`;
  const lines = [
    '',
    `SSO load test: ${options.url.origin}, ${round(wallSeconds, 1)} s at concurrency ${options.concurrency}, ${cpus().length} CPUs shared with the client`,
    `  logins                 ${logins} (${stats.succeeded.idpInitiated} IdP-initiated, ${stats.succeeded.spInitiated} SP-initiated)`,
    `  throughput             ${round(logins / wallSeconds, 1)} logins/s`,
    latencyLine('ACS, all', acs),
    latencyLine('ACS, IdP-initiated', stats.idpInitiatedAcs.summary()),
    latencyLine('ACS, SP-initiated', stats.spInitiatedAcs.summary()),
    latencyLine('login start (GET)', stats.loginStart.summary()),
    `  errors                 ${errors}`,
    ...stats.failures.lines().map((line) => `                         ${line}`),
    ...(stats.failures.lines().some((line) => line.includes('HTTP 429'))
      ? ['                         (429: the service rate-limits this address; start it with RATE_LIMIT_PER_MINUTE=0)']
      : []),
    `  load client CPU        ${round((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, started), 3)} ms per login (signing included)`,
    `  machine busy           ${round(machineCores, 2)} of ${cpus().length} CPUs on average (service, PostgreSQL, this client and anything else)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      load: 'saml-logins',
      url: options.url.origin,
      durationSeconds: round(wallSeconds, 1),
      concurrency: options.concurrency,
      spInitiatedPercent: options.spInitiatedPercent,
      logins,
      idpInitiated: stats.succeeded.idpInitiated,
      spInitiated: stats.succeeded.spInitiated,
      loginsPerSecond: round(logins / wallSeconds, 1),
      acsP50Ms: round(acs.p50Ms),
      acsP99Ms: round(acs.p99Ms),
      loginStartP99Ms: round(stats.loginStart.summary().p99Ms),
      machineBusyCpus: round(machineCores, 2),
      errors,
    })}\n`,
  );
  return { logins, errors };
}

async function idpInitiatedLogin(
  client: HttpClient,
  idp: OktaLikeIdp,
  tenant: BenchTenant,
  runId: string,
  index: number,
  stats: LoadStats,
): Promise<void> {
  const samlResponse = idp.signedResponse(tenant, benchUser(runId, index));
  await postToAcs(client, tenant, { samlResponse, relayState: IDP_INITIATED_RETURN_TO, returnTo: IDP_INITIATED_RETURN_TO }, 'idpInitiated', stats);
}

/** GET login → the AuthnRequest's ID and RelayState from the redirect → a response answering it. */
async function spInitiatedLogin(
  client: HttpClient,
  idp: OktaLikeIdp,
  tenant: BenchTenant,
  runId: string,
  index: number,
  stats: LoadStats,
): Promise<void> {
  const returnTo = `/load/sp-initiated/${index}`;
  const startSent = performance.now();
  const start = await client.send('GET', `${tenant.loginPath}?returnTo=${encodeURIComponent(returnTo)}`);
  stats.loginStart.record(performance.now() - startSent);
  const location = start.headers.location;
  if (start.status !== 302 || location === undefined || !location.startsWith(`${idp.ssoUrl}?`)) {
    stats.failures.record(`login start HTTP ${start.status}`, `HTTP ${start.status} to ${location ?? '(nowhere)'}: ${pageSummary(start.body)}`);
    return;
  }
  const query = new URL(location).searchParams;
  const requestId = authnRequestId(query.get('SAMLRequest'));
  const relayState = query.get('RelayState');
  if (requestId === null || relayState === null) {
    stats.failures.record('login start without AuthnRequest ID or RelayState', location.slice(0, 200));
    return;
  }
  const samlResponse = idp.signedResponse(tenant, benchUser(runId, index), { inResponseTo: requestId });
  await postToAcs(client, tenant, { samlResponse, relayState, returnTo }, 'spInitiated', stats);
}

/** Posts one response to the ACS, timing it and counting it as a success or a failure of its kind. */
async function postToAcs(
  client: HttpClient,
  tenant: BenchTenant,
  login: { samlResponse: string; relayState: string; returnTo: string },
  kind: 'idpInitiated' | 'spInitiated',
  stats: LoadStats,
): Promise<void> {
  const sent = performance.now();
  const result = await client.postForm(tenant.acsPath, { SAMLResponse: login.samlResponse, RelayState: login.relayState });
  const elapsed = performance.now() - sent;
  (kind === 'idpInitiated' ? stats.idpInitiatedAcs : stats.spInitiatedAcs).record(elapsed);
  stats.allAcs.record(elapsed);
  const failure = acsFailure(result, login.returnTo);
  if (failure === null) stats.succeeded[kind] += 1;
  else stats.failures.record(`${kind === 'idpInitiated' ? 'IdP' : 'SP'}-initiated ACS ${failure.split(':')[0]}`, failure);
}

/** The ID attribute of the AuthnRequest of the HTTP-Redirect binding (DEFLATE, then base64). */
function authnRequestId(samlRequest: string | null): string | null {
  if (samlRequest === null) return null;
  const xml = inflateRawSync(Buffer.from(samlRequest, 'base64'), { maxOutputLength: MAX_AUTHN_REQUEST_BYTES }).toString('utf8');
  return /<(?:\w+:)?AuthnRequest\b[^>]*?\sID="([^"]+)"/.exec(xml)?.[1] ?? null;
}

void main();
