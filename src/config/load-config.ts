// Configuration comes from HERALD_* environment variables; every one has an embedded default so
// that `npm start` needs nothing. The table in README.md lists the same variables — keep both true.
import path from 'node:path';
import { normalizeUserEmail } from '../core/user-email.ts';

export interface HeraldConfig {
  /** `sqlite:<path>` or `postgres://…` */
  databaseUrl: string;
  host: string;
  port: number;
  /** Public base URL used in links inside messages (unsubscribe, tracking). */
  publicUrl: string;
  /** Relay to send through; when unset, the built-in mail catcher is the transport. */
  smtpUrl: string | null;
  catcherPort: number;
  /** The SMTP client: Herald's pipelining client (default) or nodemailer's pool. */
  smtpClient: 'lean' | 'nodemailer';
  /** How many caught messages the built-in catcher keeps (newest first). */
  catcherKeep: number;
  /** Run the built-in mail catcher (an SMTP server on loopback that keeps what it receives). */
  catcherEnabled: boolean;
  bootstrapApiKey: string | null;
  /** CIDR ranges of mail privacy proxies (one per line): opens from them count as machine opens. */
  proxyRangesFile: string | null;
  /** Outgoing and provider webhooks (src/app/webhooks/webhook-config.ts). */
  webhooks: { allowLoopbackHttp: boolean; snsCertificatesPath: string | null };
  /** Domain of the VERP return path (bounces+<id>-<mac>@domain); default: each sender's domain. */
  bounceDomain: string | null;
  /** The inbound SMTP receiver for bounces and complaints (127.0.0.1 unless HERALD_INBOUND_HOST). */
  inboundPort: number;
  inboundHost: string;
  inboundEnabled: boolean;
  /** Dashboard sessions last this many hours after the last use (HERALD_SESSION_HOURS), at most 7 days in all. */
  sessionHours: number;
  /**
   * The first user of the default account, created on first start (owner): HERALD_ADMIN_EMAIL
   * (default admin@localhost) and HERALD_ADMIN_PASSWORD (default: generated and printed once).
   */
  admin: { email: string; password: string | null };
  /**
   * argon2id cost for new password hashes. Defaults are OWASP's (19 MiB, 2 passes, 1 lane);
   * HERALD_ARGON2_MEMORY_KIB / HERALD_ARGON2_TIME_COST exist so tests can hash cheaply — never lower them in production.
   */
  passwordHashing: { memoryKiB: number; timeCost: number; parallelism: number };
  /** From address of Herald's own notification emails (F2.2). */
  notifyFrom: string;
  /** Secret for signed links and tokens. */
  secret: string;
  logLevel: string;
  worker: {
    batchSize: number;
    concurrency: number;
    leaseSeconds: number;
    pollMs: number;
  };
}

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.variable = variable;
  }
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function smtpClientVar(env: NodeJS.ProcessEnv): 'lean' | 'nodemailer' {
  const v = env.HERALD_SMTP_CLIENT || 'lean';
  if (v !== 'lean' && v !== 'nodemailer') throw new ConfigError('HERALD_SMTP_CLIENT', `must be lean or nodemailer, got "${v}"`);
  return v;
}

function notifyFromVar(env: NodeJS.ProcessEnv): string {
  const v = env.HERALD_NOTIFY_FROM || 'herald@localhost';
  // A bare address: the display name ("Herald") is Herald's to set.
  if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(v)) throw new ConfigError('HERALD_NOTIFY_FROM', `must be an email address like alerts@example.com, got "${v}"`);
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): HeraldConfig {
  const dataDir = env.HERALD_DATA_DIR ?? path.join(cwd, 'data');
  const databaseUrl = env.HERALD_DATABASE_URL || `sqlite:${path.join(dataDir, 'herald.db')}`;
  if (!databaseUrl.startsWith('sqlite:') && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('HERALD_DATABASE_URL', 'must start with sqlite: or postgres://');
  }
  const port = intVar(env, 'HERALD_PORT', 8025, 0, 65535);
  const host = env.HERALD_HOST || '127.0.0.1';
  const smtpUrl = env.HERALD_SMTP_URL || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError('HERALD_SMTP_URL', 'must start with smtp:// or smtps://');
  }
  const adminPassword = env.HERALD_ADMIN_PASSWORD || null;
  if (adminPassword !== null && adminPassword.length < 10) {
    throw new ConfigError('HERALD_ADMIN_PASSWORD', `must be at least 10 characters, got ${adminPassword.length}`);
  }
  const adminEmail = normalizeUserEmail(env.HERALD_ADMIN_EMAIL || 'admin@localhost');
  if (!adminEmail.ok) throw new ConfigError('HERALD_ADMIN_EMAIL', adminEmail.reason);
  return {
    databaseUrl,
    host,
    port,
    publicUrl: (env.HERALD_PUBLIC_URL || `http://${host}:${port}`).replace(/\/$/, ''),
    smtpUrl,
    catcherPort: intVar(env, 'HERALD_CATCHER_PORT', 2525, 0, 65535),
    smtpClient: smtpClientVar(env),
    catcherKeep: intVar(env, 'HERALD_CATCHER_KEEP', 10_000, 1, 10_000_000),
    catcherEnabled: (env.HERALD_CATCHER ?? (smtpUrl ? 'off' : 'on')) !== 'off',
    bootstrapApiKey: env.HERALD_BOOTSTRAP_API_KEY || null,
    proxyRangesFile: env.HERALD_PROXY_RANGES_FILE || null,
    webhooks: { allowLoopbackHttp: env.HERALD_WEBHOOKS_ALLOW_HTTP === '1', snsCertificatesPath: env.HERALD_SNS_CERTIFICATES || null },
    bounceDomain: env.HERALD_BOUNCE_DOMAIN?.toLowerCase() || null,
    inboundPort: intVar(env, 'HERALD_INBOUND_PORT', 2526, 0, 65535),
    inboundHost: env.HERALD_INBOUND_HOST || '127.0.0.1',
    inboundEnabled: (env.HERALD_INBOUND ?? 'on') !== 'off',
    sessionHours: intVar(env, 'HERALD_SESSION_HOURS', 12, 1, 168),
    admin: { email: adminEmail.value, password: adminPassword },
    passwordHashing: {
      memoryKiB: intVar(env, 'HERALD_ARGON2_MEMORY_KIB', 19_456, 8, 4_194_304),
      timeCost: intVar(env, 'HERALD_ARGON2_TIME_COST', 2, 1, 100),
      parallelism: 1,
    },
    notifyFrom: notifyFromVar(env),
    secret: env.HERALD_SECRET || 'herald-development-secret-change-me',
    logLevel: env.HERALD_LOG_LEVEL || 'info',
    worker: {
      batchSize: intVar(env, 'HERALD_WORKER_BATCH', 500, 1, 10_000),
      concurrency: intVar(env, 'HERALD_WORKER_CONCURRENCY', 50, 1, 500),
      leaseSeconds: intVar(env, 'HERALD_WORKER_LEASE_SECONDS', 60, 1, 3600),
      pollMs: intVar(env, 'HERALD_WORKER_POLL_MS', 500, 10, 60_000),
    },
  };
}
