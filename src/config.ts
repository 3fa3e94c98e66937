// Every setting comes from the environment and is checked here, once.
// A wrong value stops start-up with a message naming the key.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { BUILT_IN_MUNICIPALITIES, DEFAULT_LOCAL_AREA, isMunicipalityCode, municipalityNuts3 } from './domain/regions.ts';
import { parseOrgNumber } from './domain/orgnr.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const size = z.string().regex(/^\d+(kb|mb)$/i, 'a size such as 1mb or 512kb');
/** A rate limit: this many requests per window, e.g. 5/15m (s, m or h). */
const rate = z
  .string()
  .regex(/^\d{1,6}\/\d{1,5}[smh]$/, 'a count per time, e.g. 5/15m (s, m or h)')
  .transform((v): RateLimit => {
    const [count, window] = v.split('/');
    const unit = { s: 1000, m: 60_000, h: 3_600_000 }[window.slice(-1) as 's' | 'm' | 'h'];
    return { limit: Number(count), windowMs: Number(window.slice(0, -1)) * unit };
  })
  .refine((r) => r.limit >= 1 && r.windowMs >= 1000, 'at least 1 request per at least 1 s');

export type RateLimit = { limit: number; windowMs: number };

/** '20mb' → bytes. */
export function bytesOf(value: string): number {
  const n = Number.parseInt(value, 10);
  return /mb$/i.test(value) ? n * 1024 * 1024 : n * 1024;
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  // GET /metrics without authentication on 127.0.0.1 (any process, `npm run workers` too); unset: none.
  METRICS_PORT: port.optional(),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|:memory:|postgres(ql)?:\/\/)/, 'use file:<path> (SQLite), :memory: or postgres://… (PostgreSQL)')
    .default('file:var/brygga.db'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  // In braces ({brygga}) every key hashes to one slot of a Redis Cluster (BullMQ's scripts use several keys at once).
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]+\}|[A-Za-z0-9_-]+)$/, 'letters, digits, - and _, in braces for a Redis Cluster ({brygga})')
    .default('brygga'),
  WORKERS: z.enum(['inline', 'off']).default('inline'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  MAIL_TRANSPORT: z.enum(['file', 'smtp']).default('file'),
  MAIL_OUTBOX_DIR: z.string().default('var/outbox'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'smtp://host:port or smtps://…').optional(),
  MAIL_FROM: z.string().default('Brygga <brygga@lerum.se>'),
  MAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  MAIL_SUSPEND_AFTER: z.coerce.number().int().min(1).max(100).default(3),
  SECRET_KEY: z.string().min(32, 'at least 32 characters; e.g. openssl rand -hex 32').optional(),
  QUEUE_BACKOFF_MS: z.coerce.number().int().min(1).max(600_000).default(2000),
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  RECONCILE_EVERY_MS: z.coerce.number().int().min(1000).max(24 * 3600_000).default(5 * 60_000),
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).max(24 * 3600_000).default(60_000),
  HOME_MUNICIPALITY: z.string().refine(isMunicipalityCode, 'a four-digit kommunkod').default('1441'),
  LOCAL_AREA: z
    .string()
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .refine((codes) => codes.length > 0 && codes.every(isMunicipalityCode), 'comma-separated kommunkoder, e.g. 1441,1402,1480')
    .optional(),
  ALERT_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  LOGIN_LINK_MINUTES: z.coerce.number().int().min(1).max(60).default(15),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|loopback|\d+|[\d.:/a-f, ]+)$/i, 'false, loopback, a number of hops, or addresses (Express trust proxy)')
    .default('false'),
  RATE_LIMIT_SIGNIN_PER_ADDRESS: rate.prefault('5/15m'),
  RATE_LIMIT_SIGNIN_PER_CLIENT: rate.prefault('20/15m'),
  RATE_LIMIT_REGISTER_PER_ADDRESS: rate.prefault('3/1h'),
  RATE_LIMIT_REGISTER_PER_CLIENT: rate.prefault('10/1h'),
  RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT: rate.prefault('20/15m'),
  SEED_DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: size.default('1mb'),
  IMPORT_LIMIT: size.default('20mb'),
  INGEST_MAX_BYTES: size.default('200mb'),
  INGEST_MAX_DECOMPRESSED: size.default('500mb'),
  INGEST_MAX_RATIO: z.coerce.number().int().min(2).max(10_000).default(200),
  MEILI_URL: z.url().optional(),
  MEILI_KEY: z.string().min(1).optional(),
  // Single sign-on (OpenID Connect), on when OIDC_ISSUER is set.
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z
    .string()
    .refine((s) => s.split(/\s+/).includes('openid'), 'space-separated scopes, openid among them')
    .default('openid email profile'),
  OIDC_ROLE_CLAIM: z.string().trim().min(1).default('groups'),
  OIDC_ROLES: z
    .string()
    .refine((s) => parseOidcRoles(s) !== null, 'comma-separated claim-value:role pairs, role one of officer, staff, admin, e.g. brygga-officer:officer,brygga-staff:staff')
    .default('brygga-officer:officer,brygga-staff:staff,brygga-admin:admin'),
  OIDC_BUYER_ORGNR: z
    .string()
    .refine((s) => { try { parseOrgNumber(s); return true; } catch { return false; } }, 'an organisationsnummer, e.g. 212000-1447')
    .optional(),
  OIDC_BUYER_NAME: z.string().trim().min(1).max(200).optional(),
});

export type Config = {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Serve /metrics unauthenticated on 127.0.0.1 at this port (null: not at all). */
  metricsPort: number | null;
  publicUrl: string;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  workers: 'inline' | 'off';
  workerConcurrency: number;
  mail: {
    transport: 'file' | 'smtp';
    outboxDir: string;
    smtpUrl?: string;
    from: string;
    ratePerSecond: number;
    /** Permanent failures after which an address is suspended. */
    suspendAfter: number;
  };
  /** Signs the links in e-mail. Without SECRET_KEY, `npm start` keeps one in var/secret.key. */
  secretKey: string | null;
  /** First retry delay of a failed job; it doubles, with jitter, each time. */
  backoffMs: number;
  /** How long a worker holds a job; a crashed worker's jobs run again after about this long. */
  workerLockMs: number;
  /** How long stopping waits for running jobs; then they are left to return to the queue when their lock runs out. */
  shutdownTimeoutMs: number;
  /** Reconciliation runs this often (and at start), leaving what changed within `graceMs` to the jobs in flight. */
  reconcile: { everyMs: number; graceMs: number };
  homeMunicipality: string;
  /** Kommunkoder of the local area: the home municipality and its neighbours. */
  localArea: string[];
  /** A notice without a deadline is alerted only this many days after publication. */
  alertMaxAgeDays: number;
  /** Sessions end after this long without a request, and after `maxHours` whatever happens. */
  sessions: { idleMinutes: number; maxHours: number };
  /** How long a sign-in link works. */
  loginLinkMinutes: number;
  /** Express's `trust proxy`: which proxies may tell the client's address (never all by default). */
  trustProxy: string | number | false;
  /**
   * Shared by all processes (counted in Redis). A client is its address (IPv6 by /56),
   * as `trustProxy` lets Express tell it; an address is the e-mail address asked about.
   */
  rateLimits: {
    signinPerAddress: RateLimit;
    signinPerClient: RateLimit;
    registerPerAddress: RateLimit;
    registerPerClient: RateLimit;
    /** Bearer tokens that are unknown, expired or revoked; past the limit every bearer request of the client waits. */
    tokenFailuresPerClient: RateLimit;
  };
  seedDemo: boolean;
  logLevel: string;
  bodyLimit: string;
  importLimit: string;
  ingestMaxBytes: number;
  /** A gzip import: most bytes it may decompress to, and the largest ratio of decompressed to compressed bytes (gzip bombs). */
  ingestMaxDecompressed: number;
  ingestMaxRatio: number;
  /** Meilisearch when MEILI_URL is set; the embedded FTS5 index always (and as its fallback). */
  search: { meiliUrl: string | null; meiliKey: string | null };
  /** OpenID Connect single sign-on for officers and staff; null without OIDC_ISSUER. */
  oidc: OidcSettings | null;
};

export class ConfigError extends Error {}

/** Every setting Brygga reads from the environment (deployment files name only these). */
export const SETTINGS: readonly string[] = Object.keys(envSchema.shape);

/** The roles single sign-on may give; firms sign in by e-mail link. */
export type OidcRole = 'officer' | 'staff' | 'admin';

export type OidcSettings = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Asked for at the identity provider, space-separated. */
  scopes: string;
  /** The claim whose values map to roles (a name, or a dotted path such as realm_access.roles). */
  roleClaim: string;
  /** Claim value → the roles it gives. */
  roles: Map<string, OidcRole[]>;
  /** The buyer organisation an officer signing in acts for (created when missing). */
  buyer: { orgNumber: string; name: string; nuts: string | null };
};

const OIDC_ROLES = new Set<string>(['officer', 'staff', 'admin']);

/** "grp-a:officer,grp-b:staff" → claim value → roles; null when malformed. The last `:` separates, so values may hold colons. */
export function parseOidcRoles(value: string): Map<string, OidcRole[]> | null {
  const map = new Map<string, OidcRole[]>();
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const claimValue = entry.slice(0, at).trim();
    const role = entry.slice(at + 1).trim();
    if (at < 1 || !claimValue || !OIDC_ROLES.has(role)) return null;
    map.set(claimValue, [...new Set([...(map.get(claimValue) ?? []), role as OidcRole])]);
  }
  return map.size > 0 ? map : null;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;
/** Lerums kommun's organisationsnummer: the default buyer when Lerum is the home municipality. */
const LERUM_ORGNR = '212000-1447';

function oidcSettings(e: z.output<typeof envSchema>): OidcSettings | null {
  if (!e.OIDC_ISSUER) return null;
  const fail = (key: string, message: string): never => {
    throw new ConfigError(`Invalid configuration:\n  ${key}: ${message}`);
  };
  const issuer = new URL(e.OIDC_ISSUER);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname))) {
    fail('OIDC_ISSUER', 'must be https (plain http only to this machine, for tests)');
  }
  if (!e.OIDC_CLIENT_ID) fail('OIDC_CLIENT_ID', 'required when OIDC_ISSUER is set');
  if (!e.OIDC_CLIENT_SECRET) fail('OIDC_CLIENT_SECRET', 'required when OIDC_ISSUER is set');
  const home = BUILT_IN_MUNICIPALITIES.find((m) => m.code === e.HOME_MUNICIPALITY);
  const orgNumber = e.OIDC_BUYER_ORGNR ?? (e.HOME_MUNICIPALITY === '1441' ? LERUM_ORGNR : fail('OIDC_BUYER_ORGNR', 'required when OIDC_ISSUER is set and the home municipality is not Lerum (1441)'));
  const name = e.OIDC_BUYER_NAME ?? (!e.OIDC_BUYER_ORGNR && home ? home.name : fail('OIDC_BUYER_NAME', 'required with OIDC_BUYER_ORGNR: the name of the buyer organisation'));
  return {
    // As configured (discovery compares it exactly), without a trailing slash added or removed.
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    scopes: e.OIDC_SCOPES.split(/\s+/).filter(Boolean).join(' '),
    roleClaim: e.OIDC_ROLE_CLAIM,
    roles: parseOidcRoles(e.OIDC_ROLES)!,
    buyer: { orgNumber: parseOrgNumber(orgNumber).digits, name, nuts: e.OIDC_BUYER_ORGNR ? null : municipalityNuts3(e.HOME_MUNICIPALITY) },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SECRET_KEY) {
    throw new ConfigError('Invalid configuration:\n  SECRET_KEY: required in production');
  }
  // Links in e-mail must reach the real site, never the localhost default.
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) {
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: required in production: the address people reach Brygga at, e.g. https://brygga.lerum.se');
  }
  if (e.MAIL_TRANSPORT === 'smtp' && !e.SMTP_URL) {
    throw new ConfigError('Invalid configuration:\n  SMTP_URL: required when MAIL_TRANSPORT=smtp');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    metricsPort: e.METRICS_PORT ?? null,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    workers: e.WORKERS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    mail: {
      transport: e.MAIL_TRANSPORT, outboxDir: e.MAIL_OUTBOX_DIR, smtpUrl: e.SMTP_URL, from: e.MAIL_FROM,
      ratePerSecond: e.MAIL_RATE_PER_SECOND, suspendAfter: e.MAIL_SUSPEND_AFTER,
    },
    secretKey: e.SECRET_KEY ?? null,
    backoffMs: e.QUEUE_BACKOFF_MS,
    workerLockMs: e.WORKER_LOCK_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    reconcile: { everyMs: e.RECONCILE_EVERY_MS, graceMs: e.RECONCILE_GRACE_MS },
    homeMunicipality: e.HOME_MUNICIPALITY,
    localArea: [...new Set([e.HOME_MUNICIPALITY, ...(e.LOCAL_AREA ?? DEFAULT_LOCAL_AREA)])],
    alertMaxAgeDays: e.ALERT_MAX_AGE_DAYS,
    sessions: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    loginLinkMinutes: e.LOGIN_LINK_MINUTES,
    trustProxy: e.TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    rateLimits: {
      signinPerAddress: e.RATE_LIMIT_SIGNIN_PER_ADDRESS,
      signinPerClient: e.RATE_LIMIT_SIGNIN_PER_CLIENT,
      registerPerAddress: e.RATE_LIMIT_REGISTER_PER_ADDRESS,
      registerPerClient: e.RATE_LIMIT_REGISTER_PER_CLIENT,
      tokenFailuresPerClient: e.RATE_LIMIT_TOKEN_FAILURES_PER_CLIENT,
    },
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    importLimit: e.IMPORT_LIMIT,
    ingestMaxBytes: bytesOf(e.INGEST_MAX_BYTES),
    ingestMaxDecompressed: bytesOf(e.INGEST_MAX_DECOMPRESSED),
    ingestMaxRatio: e.INGEST_MAX_RATIO,
    search: { meiliUrl: e.MEILI_URL ?? null, meiliKey: e.MEILI_KEY ?? null },
    oidc: oidcSettings(e),
  };
}

/** Reads `.env` into process.env when there is one; real environment variables win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** SECRET_KEY, or a random key kept in a file so links in sent e-mail keep working across restarts. */
export function resolveSecretKey(config: Config, file = 'var/secret.key'): string {
  if (config.secretKey) return config.secretKey;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, key, { mode: 0o600 });
  return key;
}

/** For command entry points: the configuration from .env and the environment, or a message and exit. */
export function loadConfigOrExit(exitCode = 1): Config {
  try {
    loadDotEnv();
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(exitCode);
  }
}
