import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Server configuration, read from environment variables and validated at start. */
export interface Config {
  /** `PORT`: TCP port, 0-65535 (0 = any free port). Default 8080. */
  port: number;
  /** `HOST`: interface to listen on. Default `127.0.0.1`; `0.0.0.0` to accept remote clients. */
  host: string;
  /** `SKINSCOPE_DATA_DIR`: folder of the SQLite database (`skinscope.db`), images (`blobs/`) and the token secret, as far as they are not configured elsewhere (below). Default `./.skinscope/data`. */
  dataDir: string;
  /**
   * `SKINSCOPE_ROLE`: `all` (HTTP API and engine workers in one process), `api` (HTTP only) or `worker`
   * (jobs only). Default `all`. Run any number of api and worker processes over one database and queue.
   */
  role: 'all' | 'api' | 'worker';
  /** `SKINSCOPE_WORKERS`: engine worker threads, 1-64. Default: one per core. */
  workers: number;
  /** `SKINSCOPE_SECRET`: key (>= 32 characters) signing tokens and URLs. Default: generated once into the data folder. */
  secret: string | undefined;
  /** `SKINSCOPE_PUBLIC_URL`: base URL put in signed links (for example `https://skin.example.com`). Default: the request's host. */
  publicUrl: string | undefined;
  /** `SKINSCOPE_MAX_IMAGE_MB`: largest accepted image file, in MB (1-100). Default 20. Bodies are limited to 4/3 of it plus 1 MB (base64). */
  maxImageMb: number;
  /** `SKINSCOPE_LOGIN_RATE_LIMIT`: login attempts per minute per account and client address (all login URLs together), 1-10000. Default 10. */
  loginRateLimit: number;
  /** `SKINSCOPE_REQUEST_TIMEOUT_SECONDS`: a request (head and body) must arrive within this, else 408 and the connection is cut; 1-3600 s. Default 120. */
  requestTimeoutSeconds: number;
  /** `SKINSCOPE_JOB_LEASE_SECONDS`: how long a claimed job stays locked without renewal, 1-3600 s. Default 30; a job of a dead process is retried after it. */
  jobLeaseSeconds: number;
  /**
   * `SKINSCOPE_WEBHOOK_RETRY_MS`: first retry delay of a failed webhook call, 100-600000 ms. Default 10000.
   * Each next delay doubles, up to 90 times it; 12 attempts span about 81 minutes at the default.
   */
  webhookRetryMs: number;
  /** `SKINSCOPE_MAINTENANCE_INTERVAL_SECONDS`: how often the retention job (and the deletion sweep) runs, 1-86400 s. Default 600. */
  maintenanceIntervalSeconds: number;
  /** `LOG_LEVEL`: fatal, error, warn, info, debug, trace or silent. Default info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * `SKINSCOPE_WEB_DIR`: folder of the built web dashboard (holding `index.html`), served at `/`; `off` serves
   * none. Default: `packages/web/dist` of this checkout when it is built (`npm start` builds it), else none.
   */
  webDir: string | undefined;
  /**
   * Where records live. `SKINSCOPE_DATABASE_URL` (`postgres://user:password@host:5432/db`): PostgreSQL,
   * with `SKINSCOPE_DATABASE_POOL` connections per process (1-100, default 10); unset: SQLite in the data folder.
   */
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string; poolSize: number };
  /**
   * Where jobs wait. `SKINSCOPE_REDIS_URL` (`redis://[user:password@]host:6379[/db]`, `rediss://` for TLS):
   * BullMQ on Redis (queue `SKINSCOPE_QUEUE_NAME`, default `skinscope`); unset: a table of the database.
   */
  queue: { kind: 'table' } | { kind: 'bullmq'; url: string; name: string };
  /**
   * Where image files live. `SKINSCOPE_S3_BUCKET`: S3 or an S3-compatible server, at `SKINSCOPE_S3_ENDPOINT`
   * (URL; unset: AWS), region `SKINSCOPE_S3_REGION` (default us-east-1), path-style URLs when
   * `SKINSCOPE_S3_FORCE_PATH_STYLE` is true (default: true when an endpoint is set), keys under
   * `SKINSCOPE_S3_PREFIX` (default none). Credentials come from the AWS SDK's chain (`AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, profiles, instance roles). Unset bucket: the `blobs/` folder of the data folder.
   */
  blobs:
    | { kind: 'local' }
    | {
        kind: 's3';
        bucket: string;
        endpoint?: string;
        region: string;
        forcePathStyle: boolean;
        prefix: string;
      };
}

/** Where `npm run build -w packages/web` writes the dashboard. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const ROLES = ['all', 'api', 'worker'] as const;

/** Reads and validates the configuration; throws one ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${values.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const host = env.HOST || '127.0.0.1';
  if (/\s/.test(host)) problems.push(`HOST must be a host name or address (got "${host}")`);
  const secret = env.SKINSCOPE_SECRET || undefined;
  if (secret !== undefined && secret.length < 32)
    problems.push('SKINSCOPE_SECRET must be at least 32 characters');
  const publicUrl = env.SKINSCOPE_PUBLIC_URL || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl)) {
    problems.push(`SKINSCOPE_PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  }
  const webDir = webDirOf(env.SKINSCOPE_WEB_DIR, problems);
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const databaseUrl = env.SKINSCOPE_DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl))
    problems.push('SKINSCOPE_DATABASE_URL must be a postgres:// URL');
  if (databaseUrl !== undefined && secret === undefined)
    problems.push(
      'SKINSCOPE_SECRET is required with SKINSCOPE_DATABASE_URL (every api and worker process must share it)',
    );
  const redisUrl = env.SKINSCOPE_REDIS_URL || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/\S+$/.test(redisUrl))
    problems.push('SKINSCOPE_REDIS_URL must be a redis:// or rediss:// URL');
  const queueName = env.SKINSCOPE_QUEUE_NAME || 'skinscope';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(queueName))
    problems.push(`SKINSCOPE_QUEUE_NAME must be 1-64 letters, digits, _ or - (got "${queueName}")`);
  const bucket = env.SKINSCOPE_S3_BUCKET || undefined;
  if (bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    problems.push(`SKINSCOPE_S3_BUCKET must be an S3 bucket name (got "${bucket}")`);
  const endpoint = env.SKINSCOPE_S3_ENDPOINT || undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(endpoint))
    problems.push(`SKINSCOPE_S3_ENDPOINT must be an http(s) URL without a path (got "${endpoint}")`);
  const prefix = env.SKINSCOPE_S3_PREFIX || '';
  if (prefix !== '' && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/.test(prefix))
    problems.push(`SKINSCOPE_S3_PREFIX must be path segments ending in / (got "${prefix}")`);
  const forcePathStyle = bool('SKINSCOPE_S3_FORCE_PATH_STYLE', endpoint !== undefined);
  const region = env.SKINSCOPE_S3_REGION || 'us-east-1';
  const poolSize = int('SKINSCOPE_DATABASE_POOL', 10, 1, 100);
  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host,
    dataDir: resolve(env.SKINSCOPE_DATA_DIR || './.skinscope/data'),
    role: oneOf('SKINSCOPE_ROLE', ROLES, 'all'),
    workers: int('SKINSCOPE_WORKERS', Math.max(1, availableParallelism()), 1, 64),
    secret,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    maxImageMb: int('SKINSCOPE_MAX_IMAGE_MB', 20, 1, 100),
    loginRateLimit: int('SKINSCOPE_LOGIN_RATE_LIMIT', 10, 1, 10000),
    requestTimeoutSeconds: int('SKINSCOPE_REQUEST_TIMEOUT_SECONDS', 120, 1, 3600),
    jobLeaseSeconds: int('SKINSCOPE_JOB_LEASE_SECONDS', 30, 1, 3600),
    webhookRetryMs: int('SKINSCOPE_WEBHOOK_RETRY_MS', 10_000, 100, 600_000),
    maintenanceIntervalSeconds: int('SKINSCOPE_MAINTENANCE_INTERVAL_SECONDS', 600, 1, 86_400),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    webDir,
    database: databaseUrl ? { kind: 'postgres', url: databaseUrl, poolSize } : { kind: 'sqlite' },
    queue: redisUrl ? { kind: 'bullmq', url: redisUrl, name: queueName } : { kind: 'table' },
    blobs: bucket
      ? { kind: 's3', bucket, endpoint: endpoint?.replace(/\/$/, ''), region, forcePathStyle, prefix }
      : { kind: 'local' },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function webDirOf(raw: string | undefined, problems: string[]): string | undefined {
  const hasIndex = (dir: string) => existsSync(join(dir, 'index.html')) && statSync(dir).isDirectory();
  if (raw === 'off') return undefined;
  if (raw === undefined || raw === '') return hasIndex(DEFAULT_WEB_DIR) ? DEFAULT_WEB_DIR : undefined;
  const dir = resolve(raw);
  if (!hasIndex(dir))
    problems.push(`SKINSCOPE_WEB_DIR must be a folder holding index.html, or off (got "${raw}")`);
  return dir;
}
