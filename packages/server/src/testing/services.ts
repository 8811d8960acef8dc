import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real services for tests and the load script, each started on a loopback port of its own in a
 * temporary folder: a PostgreSQL cluster, a redis-server and an S3-compatible server (s3rver). A
 * missing binary is an error, never a skipped test. `stop()` then `start()` takes a service down and
 * brings it back on the same port with the same data (the fault tests).
 */
export interface Service {
  /** Connection URL (`postgres://…`, `redis://…`, `http://…` for S3). */
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

/** Where PostgreSQL's server binaries are: `SKINSCOPE_PG_BIN`, else Debian's PostgreSQL 15. */
export const PG_BIN = process.env.SKINSCOPE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const REDIS_SERVER = process.env.SKINSCOPE_REDIS_SERVER ?? 'redis-server';
const S3_SERVER = fileURLToPath(new URL('./s3-server.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const isRoot = process.getuid?.() === 0;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${log()}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not start in ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

/** Stops a child with `signal` sent by `send` (default: to the child), SIGKILL after 10 s. */
function stopChild(child: ChildProcess | undefined, send: () => void): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    send();
  });
}

/** A child process service: `command` started by `start()`, ready when `ready()` says so. */
function childService(
  name: string,
  dir: string,
  port: number,
  url: string,
  spawnIt: () => ChildProcess,
  ready: () => Promise<boolean>,
  stopSignal: NodeJS.Signals,
  /** Sends the stop signal some other way (to a process the child started). */
  signal?: (signal: NodeJS.Signals) => boolean,
): Service {
  let child: ChildProcess | undefined;
  let log = '';
  const service: Service = {
    url,
    port,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      log = '';
      child = spawnIt();
      child.stdout?.on('data', (c: Buffer) => {
        log = (log + c.toString()).slice(-8000);
      });
      child.stderr?.on('data', (c: Buffer) => {
        log = (log + c.toString()).slice(-8000);
      });
      child.on('error', (error) => {
        log += `\n${String(error)}`;
      });
      await waitFor(name, ready, child, () => log);
    },
    stop: () => stopChild(child, () => (signal?.(stopSignal) ?? false) || child?.kill(stopSignal)),
    async destroy() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return service;
}

/** Runs a command as the `postgres` user when this process is root (PostgreSQL refuses root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** A PostgreSQL cluster (`initdb` in a temporary folder, trust auth on 127.0.0.1, fsync off); database `skinscope`. */
export async function startPostgres(): Promise<Service> {
  for (const bin of ['initdb', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin)))
      throw new Error(`PostgreSQL not found: no ${join(PG_BIN, bin)} (set SKINSCOPE_PG_BIN)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-pg-'));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [cmd, args] = asPostgres(join(PG_BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  execFileSync(cmd, args, { stdio: 'pipe' });
  const port = await freePort();
  const service = childService(
    'postgres',
    dir,
    port,
    `postgres://postgres@127.0.0.1:${port}/postgres`,
    () => {
      const [c, a] = asPostgres(join(PG_BIN, 'postgres'), [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ]);
      return spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'] });
    },
    async () => (await portOpen(port)) && pgAccepts(port),
    'SIGINT',
    (signal) => {
      // Under runuser the postmaster is a grandchild: signal it by the pid in its pid file.
      try {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, signal);
        return true;
      } catch {
        return false;
      }
    },
  );
  await service.start();
  return service;
}

async function pgAccepts(port: number): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates an empty database on the cluster and returns its URL (one per test, so tests do not share rows). */
export async function createDatabase(service: Service, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: service.url });
  await client.connect();
  try {
    await client.query(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return service.url.replace(/\/postgres$/, `/${name}`);
}

/** A redis-server with an append-only file fsynced on every write, so a restart keeps every job. */
export async function startRedis(): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-redis-'));
  const port = await freePort();
  const service = childService(
    'redis-server',
    dir,
    port,
    `redis://127.0.0.1:${port}`,
    () =>
      spawn(
        REDIS_SERVER,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'yes',
          '--appendfsync',
          'always',
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    () => portOpen(port),
    'SIGTERM',
  );
  await service.start();
  return service;
}

/** An S3-compatible server (s3rver, files in a temporary folder) with the bucket `bucket`. */
export async function startS3(bucket: string): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-s3-'));
  const port = await freePort();
  const service = childService(
    's3rver',
    dir,
    port,
    `http://127.0.0.1:${port}`,
    () =>
      spawn(process.execPath, ['--import', 'tsx', S3_SERVER], {
        env: { ...process.env, S3_PORT: String(port), S3_DIR: dir, S3_BUCKET: bucket },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    () => portOpen(port),
    'SIGTERM',
  );
  await service.start();
  return service;
}

/** Credentials s3rver accepts (its fixed development pair). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
