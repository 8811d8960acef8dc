import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { AccountError, createCompany, createUser } from './accounts.service.ts';
import { buildApp } from './app.ts';
import { tokenSigner } from './auth/tokens.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createDeletionService } from './deletion/deletion.service.ts';
import { createEngineAnalyzer, createValidatingAnalyzer } from './engine.analyzer.ts';
import { maskRendersCleanup } from './masks/mask-render.service.ts';
import { createNotificationHub } from './notifications/hub.ts';
import { processingEvents } from './processing/processing-events.ts';
import { createProcessor, type Processor } from './processing/processor.ts';
import { loadConcernTable } from './recommendations/recommend.ts';
import { startMaintenance } from './retention/maintenance.ts';
import { createRetentionService } from './retention/retention.service.ts';
import { openStorage } from './storage.ts';
import { createWebhookService } from './webhooks/webhook.service.ts';

/** A started server: its address and how to stop it. */
export interface RunningServer {
  app: FastifyInstance | undefined;
  /** `http://host:port` when the role serves HTTP. */
  address: string | undefined;
  processor: Processor | undefined;
  close(): Promise<void>;
}

/**
 * On a first start (no users yet), creates a company and an admin user. The password is never
 * printed to a log: it is written to `<data>/first-login.txt` (mode 0600), whose path is printed,
 * and shown on the terminal only when standard output is one (`tty`).
 */
async function firstStartLogin(
  store: Awaited<ReturnType<typeof openStorage>>['store'],
  dataDir: string,
  tty: boolean,
): Promise<string | undefined> {
  if ((await store.accounts.countUsers()) > 0) return undefined;
  const company = await createCompany(store, 'Default');
  const password = randomBytes(12).toString('base64url');
  const user = await createUser(store, { companyId: company.id, username: 'admin@localhost', password });
  const file = join(dataDir, FIRST_LOGIN_FILE);
  writeFileSync(file, `username: ${user.username}\npassword: ${password}\ncompany_id: ${company.id}\n`, {
    mode: 0o600,
  });
  return [
    'First start: created company "Default" and its first user. Log in with:',
    `  username: ${user.username}`,
    tty
      ? `  password: ${password}`
      : `  password: in ${file} (readable only by this user; delete it once noted)`,
    `  company_id: ${company.id}`,
    '(create more with `skinscope admin create-user --company ID --username EMAIL --password PASS`)',
  ].join('\n');
}

/** Where the first start writes the admin's login, in the data folder. */
export const FIRST_LOGIN_FILE = 'first-login.txt';

/**
 * Starts Skinscope on the configured adapters (the embedded default: SQLite, local blobs, table queue;
 * or PostgreSQL, BullMQ on Redis, S3) with engine worker threads: HTTP for roles `all`/`api`, the job
 * processor for `all`/`worker`.
 */
export async function startServer(
  config: Config,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  tty: boolean = process.stdout.isTTY === true,
): Promise<RunningServer> {
  const data = await openStorage(config, config.jobLeaseSeconds * 1000);
  const runsEngine = config.role !== 'api';
  const analyzer = runsEngine ? await createEngineAnalyzer(config.workers) : createValidatingAnalyzer();
  const log = {
    info: (obj: object, msg: string) =>
      config.logLevel !== 'silent' && print(`${msg} ${JSON.stringify(obj)}`),
    error: (obj: object, msg: string) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
  };
  let app: FastifyInstance | undefined;
  let address: string | undefined;
  let processor: Processor | undefined;
  const notifier = createNotificationHub();
  const concerns = loadConcernTable();
  const deletion = createDeletionService({
    store: data.store,
    blobs: data.blobs,
    cleanups: [maskRendersCleanup(data.store)],
  });
  const retention = createRetentionService({ store: data.store, deletion, now: Date.now });
  const webhooks = createWebhookService({
    store: data.store,
    queue: data.queue,
    signer: tokenSigner(data.secret, Date.now),
    now: Date.now,
    publicUrl: () => config.publicUrl ?? address,
    retryBaseMs: config.webhookRetryMs,
    concerns,
    onQueued: () => processor?.wake(),
  });
  processor = runsEngine
    ? createProcessor({
        store: data.store,
        blobs: data.blobs,
        queue: data.queue,
        analyzer,
        concurrency: config.workers,
        leaseMs: config.jobLeaseSeconds * 1000,
        pollMs: config.role === 'worker' ? 500 : 1000,
        log,
        handlers: { deliver_webhook: webhooks.handler },
        events: processingEvents({ notifier, webhooks, retention }),
        orphanSweepMs: config.maintenanceIntervalSeconds * 1000,
      })
    : undefined;
  processor?.start();
  const maintenance = runsEngine
    ? startMaintenance({ deletion, retention, intervalMs: config.maintenanceIntervalSeconds * 1000, log })
    : undefined;
  if (config.role !== 'worker') {
    app = await buildApp({
      store: data.store,
      blobs: data.blobs,
      queue: data.queue,
      analyzer,
      notifier,
      webhooks,
      concerns,
      deletion,
      secret: data.secret,
      publicUrl: config.publicUrl,
      maxImageBytes: config.maxImageMb * 1024 * 1024,
      loginRateLimit: config.loginRateLimit,
      requestTimeoutMs: config.requestTimeoutSeconds * 1000,
      onJobQueued: () => processor?.wake(),
      logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
      webDir: config.webDir,
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close();
      await processor?.stop();
      await maintenance?.stop();
      await analyzer.close();
      await data.close();
      throw listenError(error, config);
    }
    const a = app.server.address();
    const port = typeof a === 'object' && a ? a.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    address = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    print(`Skinscope listening on ${address} (API docs: ${address}/api/swagger/, data: ${config.dataDir})`);
    print(
      config.webDir
        ? `Dashboard: ${address}/`
        : 'Dashboard: not built (npm run build -w packages/web, or npm start from the repository root)',
    );
  }
  if (config.role !== 'worker') {
    // Several api processes may start at once on one database: the one that creates the admin prints it.
    const login = await firstStartLogin(data.store, config.dataDir, tty).catch(async (error) => {
      if (error instanceof AccountError && (await data.store.accounts.countUsers()) > 0) return undefined;
      throw error;
    });
    if (login) print(login);
  }
  return {
    app,
    address,
    processor,
    async close() {
      await app?.close();
      await processor?.stop();
      await maintenance?.stop();
      await analyzer.close();
      await data.close();
    },
  };
}

/** A port that is taken or not allowed is a configuration problem: say which and what to change. */
function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE')
    return new ConfigError([
      `PORT/HOST: ${where} is already in use (another server?); stop it or choose another PORT`,
    ]);
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
    return new ConfigError([`PORT/HOST: cannot listen on ${where} (${code}); choose another PORT or HOST`]);
  return error;
}

/** `node src/main.ts`: reads the environment, starts, stops cleanly on SIGINT/SIGTERM (also one received while starting). */
export async function main(env: Record<string, string | undefined> = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  await stopped;
  await server.close();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
