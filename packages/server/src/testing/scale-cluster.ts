import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildServer, startChildServer } from './child-server.ts';
import {
  createDatabase,
  S3RVER_CREDENTIALS,
  type Service,
  startPostgres,
  startRedis,
  startS3,
} from './services.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/**
 * A scaled-out Skinscope on loopback for the fault tests and the load script: PostgreSQL, Redis and
 * S3 (s3rver) started here, an api process and any number of worker processes (`node src/main.ts`
 * with `SKINSCOPE_ROLE`), each with one engine thread.
 */
export interface ScaleCluster {
  postgres: Service;
  redis: Service;
  s3: Service;
  /** The environment every process of the cluster shares. */
  env: Record<string, string>;
  /** An api process; `first`: wait for the first-start login it writes into its `dataDir`. */
  startApi(first: boolean): Promise<ChildServer & { dataDir: string }>;
  startWorker(): ChildProcess;
  destroy(): Promise<void>;
}

export async function startScaleCluster(extraEnv: Record<string, string> = {}): Promise<ScaleCluster> {
  const bucket = 'skinscope';
  const [postgres, redis, s3] = await Promise.all([startPostgres(), startRedis(), startS3(bucket)]);
  const databaseUrl = await createDatabase(postgres, 'skinscope');
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-scale-'));
  const env: Record<string, string> = {
    SKINSCOPE_DATABASE_URL: databaseUrl,
    SKINSCOPE_REDIS_URL: redis.url,
    SKINSCOPE_S3_BUCKET: bucket,
    SKINSCOPE_S3_ENDPOINT: s3.url,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    SKINSCOPE_SECRET: randomBytes(32).toString('base64url'),
    SKINSCOPE_WORKERS: '1',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const children: ChildProcess[] = [];
  let n = 0;
  return {
    postgres,
    redis,
    s3,
    env,
    async startApi(first) {
      const dataDir = join(dir, `api-${n++}`);
      const server = await startChildServer(dataDir, first, { ...env, SKINSCOPE_ROLE: 'api' });
      children.push(server.process);
      return { ...server, dataDir };
    },
    startWorker() {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: {
          ...process.env,
          ...env,
          SKINSCOPE_ROLE: 'worker',
          SKINSCOPE_DATA_DIR: join(dir, `worker-${n++}`),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.resume();
      children.push(child);
      return child;
    },
    async destroy() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all([postgres.destroy(), redis.destroy(), s3.destroy()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
