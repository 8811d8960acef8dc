/**
 * `npm run load`: N concurrent clients upload real faces through the HTTP API for a fixed time, against
 * an api process and 1, 2 and 4 worker processes (one engine thread each), on the embedded default
 * (SQLite, local folder, table queue; every process on one data folder) and on PostgreSQL + Redis + S3
 * (started here on loopback ports). Prints throughput (images analysed from the first upload of the
 * window to the last result), upload-to-results latency (p50/p95/p99), errors,
 * peak RSS per process and the load average, and checks that every accepted image has exactly one
 * complete set of results. Everything is bounded: LOAD_SECONDS of uploads per run (default 12), at most
 * LOAD_DRAIN_SECONDS (default 30) to finish, and a whole budget of LOAD_BUDGET_SECONDS (default 180) after
 * which the remaining runs are reported as not run. LOAD_CLIENTS (default 8), LOAD_WORKERS (default
 * `1,2,4`), LOAD_ADAPTERS (default `embedded,scale`). Exit code 1 when an image was lost or doubled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageRef, SkinscopeClient } from '@skinscope/sdk';
import { firstLoginPassword, startChildServer } from '../packages/server/src/testing/child-server.ts';
import { startScaleCluster } from '../packages/server/src/testing/scale-cluster.ts';
import { FACES_DIR } from '../packages/server/src/testing/test-app.ts';
import { markdownTable, quantile } from './bench-stats.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const MAIN = new URL('../packages/server/src/main.ts', import.meta.url).pathname;
const env = process.env;
const CLIENTS = Number(env.LOAD_CLIENTS ?? 8);
const SECONDS = Number(env.LOAD_SECONDS ?? 12);
const DRAIN_SECONDS = Number(env.LOAD_DRAIN_SECONDS ?? 30);
const BUDGET_SECONDS = Number(env.LOAD_BUDGET_SECONDS ?? 180);
const WORKERS = (env.LOAD_WORKERS ?? '1,2,4').split(',').map(Number);
const ADAPTERS = (env.LOAD_ADAPTERS ?? 'embedded,scale').split(',') as ('embedded' | 'scale')[];
const started = Date.now();

interface RunResult {
  adapters: string;
  workers: number;
  accepted: number;
  completed: number;
  throughput: number;
  latencies: number[];
  errors: number;
  lostOrDoubled: number;
  rss: Record<string, number>;
  load: string;
}

/** Peak resident memory of a process (VmHWM), MB. */
function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(adapters: 'embedded' | 'scale', workers: number): Promise<RunResult> {
  const cluster = adapters === 'scale' ? await startScaleCluster() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-load-'));
  const shared = cluster?.env ?? { LOG_LEVEL: 'warn', SKINSCOPE_WORKERS: '1' };
  const children: ChildProcess[] = [];
  try {
    const apiDir = cluster ? join(dir, 'api') : dir;
    const api = await startChildServer(apiDir, true, { ...shared, SKINSCOPE_ROLE: 'api' });
    children.push(api.process);
    const workerProcs = Array.from({ length: workers }, (_, i) => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        env: {
          ...process.env,
          ...shared,
          SKINSCOPE_ROLE: 'worker',
          SKINSCOPE_DATA_DIR: cluster ? join(dir, `worker-${i}`) : dir,
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      children.push(child);
      return child;
    });
    const client = new SkinscopeClient({ baseUrl: api.address });
    const c = (await client.login('admin@localhost', firstLoginPassword(apiDir))).company_id;
    const dataset = await client.createDataset(c, { name: 'load' });
    await client.attachApplication(c, FSM2, dataset.id);
    const subject = await client.createSubject(c, dataset.id, { name: 'load' });
    const faces = readdirSync(FACES_DIR)
      .filter((f) => /\.jpe?g$/i.test(f))
      .map((f) => readFileSync(join(FACES_DIR, f)));
    const upload = async (i: number): Promise<ImageRef> => {
      const batch = await client.createBatch(c, dataset.id, subject.id);
      const ref = { companyId: c, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id };
      const image = await client.uploadImage(ref, { bytes: faces[i % faces.length]! });
      return { ...ref, imageId: image.id };
    };
    const finished = async (ref: ImageRef, until: number) => {
      while (Date.now() < until) {
        const image = await client.getImage(ref);
        if (image.status === 'done' || image.status === 'failed') return true;
        await sleep(100);
      }
      return false;
    };
    // Warm-up: one image per worker, so model loading is not counted.
    const warm = await Promise.all(Array.from({ length: workers }, (_, i) => upload(i)));
    for (const ref of warm) await finished(ref, Date.now() + 180_000);

    const accepted: ImageRef[] = [];
    const latencies: number[] = [];
    let errors = 0;
    let lastDone = Date.now();
    const windowStart = Date.now();
    const windowEnd = Date.now() + SECONDS * 1000;
    const drainEnd = windowEnd + DRAIN_SECONDS * 1000;
    const loadBefore = loadavg()[0]!;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, k) => {
        let n = k;
        while (Date.now() < windowEnd) {
          const t0 = Date.now();
          try {
            const ref = await upload(n++);
            accepted.push(ref);
            if (await finished(ref, drainEnd)) {
              latencies.push(Date.now() - t0);
              lastDone = Math.max(lastDone, Date.now());
            }
          } catch {
            errors++;
            await sleep(200);
          }
        }
      }),
    );
    const rss: Record<string, number> = { api: peakRssMb(api.process.pid) };
    workerProcs.forEach((w, i) => {
      rss[`worker ${i + 1}`] = peakRssMb(w.pid);
    });
    let lostOrDoubled = 0;
    const expected = (await client.results(warm[0]!)).length;
    for (const ref of accepted) {
      const [image, results] = [await client.getImage(ref), await client.results(ref)];
      const names = results.map((r) => r.algorithm_tech_name);
      if (image.status !== 'done' || results.length !== expected || new Set(names).size !== names.length)
        lostOrDoubled++;
    }
    return {
      adapters: adapters === 'scale' ? 'PostgreSQL+Redis+S3' : 'embedded (SQLite)',
      workers,
      accepted: accepted.length,
      completed: latencies.length,
      throughput: latencies.length / Math.max(1, (lastDone - windowStart) / 1000),
      latencies,
      errors,
      lostOrDoubled,
      rss,
      load: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: RunResult[] = [];
const skipped: string[] = [];
// Worker counts outermost, so a run cut short by the budget still compares the adapters.
for (const workers of WORKERS) {
  for (const adapters of ADAPTERS) {
    if ((Date.now() - started) / 1000 > BUDGET_SECONDS - SECONDS) {
      skipped.push(`${adapters} × ${workers} workers`);
      continue;
    }
    process.stderr.write(
      `load: ${adapters}, ${workers} worker process(es), ${CLIENTS} clients, ${SECONDS} s\n`,
    );
    results.push(await run(adapters, workers));
  }
}
const ms = (v: number[], q: number) => (v.length ? `${Math.round(quantile(v, q))}` : '-');
console.log(
  `\nLoad: ${CLIENTS} clients, ${SECONDS} s of uploads per run, ${availableParallelism()} cores, load average (1 min) before → after each run\n`,
);
console.log(
  markdownTable(
    [
      'adapters',
      'workers',
      'images/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'accepted',
      'errors',
      'lost or doubled',
      'peak RSS MB (api; workers)',
      'load avg',
    ],
    results.map((r) => [
      r.adapters,
      r.workers,
      r.throughput.toFixed(2),
      ms(r.latencies, 0.5),
      ms(r.latencies, 0.95),
      ms(r.latencies, 0.99),
      r.accepted,
      r.errors,
      r.lostOrDoubled,
      `${r.rss.api}; ${Object.entries(r.rss)
        .filter(([k]) => k !== 'api')
        .map(([, v]) => v)
        .join(', ')}`,
      r.load,
    ]),
  ),
);
if (skipped.length)
  console.log(`\nNot run (time budget of ${BUDGET_SECONDS} s spent): ${skipped.join('; ')}`);
console.log(`\nTotal ${Math.round((Date.now() - started) / 1000)} s.`);
if (results.some((r) => r.lostOrDoubled > 0)) process.exitCode = 1;
