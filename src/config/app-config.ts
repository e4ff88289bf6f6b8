import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadOrCreateDevSecret } from './dev-secrets';

/** `auto`: readable lines on a developer's terminal (not production, standard output a TTY), JSON elsewhere. */
export type LogFormat = 'json' | 'pretty' | 'auto';

export interface AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  publicBaseUrl: string;
  /** PUBLIC_BASE_URL is https: cookies are Secure and HSTS is sent. */
  servedOverHttps: boolean;
  databaseUrl: string | null;
  dataDir: string;
  platformAdminToken: string;
  encryptionKey: Buffer;
  rateLimitPerMinute: number;
  /** Lets metadata URLs use plain http (local IdPs in development). */
  allowHttpMetadataUrls: boolean;
  /**
   * Lets metadata URLs (and their redirects) lead to loopback, private, link-local and other
   * non-public addresses (local IdPs in development); off, they are refused (SSRF).
   */
  allowPrivateMetadataHosts: boolean;
  /** Origins besides our own that a `returnTo` may point at. */
  allowedReturnOrigins: string[];
  corsOrigins: string[];
  sessionMaxHours: number;
  databasePoolSize: number;
  /** How long login attempts and audit entries are kept. */
  retentionDays: number;
  /** How often housekeeping runs; 0 turns the schedule off (tests run it by hand). */
  housekeepingIntervalSeconds: number;
  /** Worker threads that validate SAML responses; 0 validates them on the event loop. */
  samlValidationThreads: number;
  /** `host:port` servers for domain verification lookups; empty: the system's resolvers. */
  dnsServers: string[];
  /** How often a verified domain's TXT record is looked up again. */
  domainRecheckHours: number;
  /** How long a verified domain's record may be missing before the domain stops routing. */
  domainGraceHours: number;
  logLevel: string;
  /** LOG_FORMAT: `json`, `pretty`, or (unset) `auto` — pretty on a development terminal, JSON elsewhere. */
  logFormat: LogFormat;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

function list(raw: string | undefined, name: string): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((origin) => new URL(httpUrl(name, origin)).origin);
}

function dnsServers(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((server) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]+)(?::(\d{1,5}))?$/.exec(server);
      if (!match || (match[2] !== undefined && Number(match[2]) > 65535)) {
        throw new ConfigError(`DNS_SERVERS must be comma-separated IP addresses with an optional :port, got "${server}"`);
      }
      return server;
    });
}

function flag(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return false;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function encryptionKeyFrom(raw: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new ConfigError('ENCRYPTION_KEY must be 32 bytes encoded in base64 (openssl rand -base64 32)');
  }
  return key;
}

function logFormat(raw: string | undefined): LogFormat {
  if (raw === undefined || raw === '') return 'auto';
  if (raw !== 'json' && raw !== 'pretty') throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${raw}"`);
  return raw;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV || 'development';
  const production = nodeEnv === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const dataDir = resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }

  for (const name of ['PLATFORM_ADMIN_TOKEN', 'ENCRYPTION_KEY']) {
    if (production && !env[name]) throw new ConfigError(`${name} is required when NODE_ENV=production`);
  }
  const platformAdminToken =
    env.PLATFORM_ADMIN_TOKEN ??
    loadOrCreateDevSecret(dataDir, 'platform-admin-token', 'token', (secret) =>
      // Printed once, on generation, so the operator can copy it; never logged afterwards.
      process.stdout.write(`Generated PLATFORM_ADMIN_TOKEN (stored in ${dataDir}): ${secret}\n`),
    );
  if (platformAdminToken.length < 16) throw new ConfigError('PLATFORM_ADMIN_TOKEN must be at least 16 characters');
  const publicBaseUrl = httpUrl('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL || `http://localhost:${port}`);
  const encryptionKey = encryptionKeyFrom(
    env.ENCRYPTION_KEY ?? loadOrCreateDevSecret(dataDir, 'encryption-key', 'key'),
  );

  return {
    nodeEnv,
    port,
    host: env.HOST || '127.0.0.1',
    publicBaseUrl,
    servedOverHttps: publicBaseUrl.startsWith('https:'),
    databaseUrl,
    dataDir,
    platformAdminToken,
    encryptionKey,
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    allowHttpMetadataUrls: flag(env, 'ALLOW_HTTP_METADATA_URLS'),
    allowPrivateMetadataHosts: flag(env, 'ALLOW_PRIVATE_METADATA_HOSTS'),
    allowedReturnOrigins: list(env.ALLOWED_RETURN_ORIGINS, 'ALLOWED_RETURN_ORIGINS'),
    corsOrigins: list(env.CORS_ORIGINS, 'CORS_ORIGINS'),
    sessionMaxHours: integer(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 30),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    retentionDays: integer(env, 'RETENTION_DAYS', 90, 1, 3650),
    housekeepingIntervalSeconds: integer(env, 'HOUSEKEEPING_INTERVAL_SECONDS', 300, 0, 86_400),
    samlValidationThreads: integer(env, 'SAML_VALIDATION_THREADS', availableParallelism() > 1 ? 1 : 0, 0, 16),
    dnsServers: dnsServers(env.DNS_SERVERS),
    domainRecheckHours: integer(env, 'DOMAIN_RECHECK_HOURS', 24, 1, 24 * 365),
    domainGraceHours: integer(env, 'DOMAIN_GRACE_HOURS', 72, 1, 24 * 365),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormat(env.LOG_FORMAT),
  };
}
