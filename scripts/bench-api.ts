/**
 * API benchmark: starts `skinscope serve` as a process of its own on a temporary data folder (real
 * engine, one worker per core unless SKINSCOPE_WORKERS is set) and measures, through HTTP and the SDK,
 * - upload-to-results latency for one image (median of 5): upload, the `image_processed`
 *   notification on the user's WebSocket, then the results over HTTP, as a client that does not
 *   poll sees it; after a warm-up of BENCH_API_WARMUP
 *   images (default 20) uploaded at once, so that both the latency and the in-process figures it is
 *   compared with are taken on warmed-up engines (a fresh worker's first analyses run 2-4× slower
 *   while V8 compiles the metrics' code),
 * - throughput: BENCH_UPLOADERS (default 20) concurrent uploaders, each uploading its next image
 *   when the last one's results have arrived, until BENCH_IMAGES (default 60) are done; the
 *   steady-state rate leaves out the first and last STEADY_EDGE completions (the queue filling
 *   and draining); with the CPU time per image of the server and of this process, the load
 *   generator, from /proc (Linux), and
 * - the resident memory of `skinscope serve` (serveMemoryOf: the server's RSS plus its launcher's
 *   private memory) after start, warm-up, latency and throughput runs.
 * Prints a markdown table. Run alone: `node --import tsx scripts/bench-api.ts`; `npm run bench`
 * calls `benchApi` and relates its figures to the in-process ones.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ImageRef, SkinscopeClient } from '@skinscope/sdk';
import WebSocket from 'ws';
import { childrenOf } from '../packages/cli/bin/process-tree.ts';
import { median } from './bench-stats.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const FACES =
  process.env.SKINSCOPE_FACES_DIR !== undefined
    ? join(process.env.SKINSCOPE_FACES_DIR, 'portraits')
    : fileURLToPath(new URL('../../shared/faces/portraits/', import.meta.url));
const CLI = fileURLToPath(new URL('../packages/cli/bin/skinscope.js', import.meta.url));
/** Results of the throughput run between two readings of the server's RSS. */
const RSS_EVERY = 50;
/** Completions left out at each end of the throughput run for its steady-state rate. */
const STEADY_EDGE = 5;
/** The file the server writes the first-start admin login to, in its data folder. */
const FIRST_LOGIN_FILE = 'first-login.txt';
/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS = 100;

export interface ApiFigures {
  workers: number;
  /** Upload → all results over HTTP, one image at a time, median of 5, ms. */
  latencyMs: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  images: number;
  /** Concurrent uploaders of the throughput run. */
  uploaders: number;
  /** Images / seconds from the first upload to the last results. */
  imagesPerSecond: number;
  /** The completions the steady-state rate counts (1-based, inclusive). */
  steadyCompletions: [number, number];
  /** Those completions over their time span, images/s (every completion when the run is too short to leave STEADY_EDGE out at each end). */
  steadyImagesPerSecond: number;
  /** CPU time of `skinscope serve` (all its threads, launcher included) per image, ms (NaN off Linux). */
  serverCpuMsPerImage: number;
  /** CPU time of this process, the load generator (SDK client), per image, ms. */
  clientCpuMsPerImage: number;
  /** Resident memory of `skinscope serve` (serveMemoryOf) after each phase, MiB. */
  rssMiB: { started: number; warm: number; latency: number; throughput: number };
  /** Resident memory of `skinscope serve` every RSS_EVERY results of the throughput run, MiB. */
  rssSeries: { images: number; rssMiB: number }[];
  warmup: number;
}

/** A server process: its address, pid and how to stop it. */
interface ServerProcess {
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `skinscope serve` on `dir` and waits for its address (printed on its first line). */
function startServerProcess(dir: string, workers: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      SKINSCOPE_DATA_DIR: dir,
      SKINSCOPE_WORKERS: String(workers),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  child.once('exit', () => process.off('exit', orphan));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ address: m[1]!, child, stop });
    });
    child.once('exit', (code) => reject(new Error(`skinscope serve exited with code ${code}: ${out}`)));
  });
}

/** Resident set size of a process, MiB (Linux: /proc; NaN elsewhere). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) of a process and its children processes, ms (Linux: /proc; NaN elsewhere). */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return childrenOf(pid).reduce((sum, child) => sum + cpuMsOf(child), (ticks * 1000) / CLOCK_TICKS);
  } catch {
    return Number.NaN;
  }
}

/** Memory only this process maps (private clean + dirty pages), MiB (Linux: /proc; NaN elsewhere). */
function privateOf(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = [...rollup.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Resident memory of `skinscope serve`, MiB: the RSS of the process that serves plus the private
 * memory of the launcher above it (packages/cli/bin/serve-process.js). The launcher's other resident
 * pages are the same node binary and libraries the server maps, so its RSS would count them twice.
 */
function serveMemoryOf(pid: number): number {
  const children = childrenOf(pid);
  if (!children.length) return rssOf(pid);
  return children.reduce((sum, child) => sum + serveMemoryOf(child), privateOf(pid));
}

/**
 * The `image_processed` notifications of a user (one WebSocket, authorised by the login's token):
 * `once(id)` resolves when image `id` has been processed, also if that was announced before the
 * call; it rejects when the image failed, the socket closes or errs, or 10 minutes pass.
 */
async function imageNotifications(
  url: string,
  token: string,
): Promise<{ once(imageId: string): Promise<void>; close(): void }> {
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const outcome = new Map<string, string>();
  const waiting = new Map<string, { resolve(): void; reject(error: Error): void }>();
  let broken: Error | null = null;
  const settle = (imageId: string) => {
    const w = waiting.get(imageId);
    const status = outcome.get(imageId);
    if (!w || status === undefined) return;
    waiting.delete(imageId);
    if (status === 'done') w.resolve();
    else w.reject(new Error(`image ${imageId}: ${status}`));
  };
  const breakAll = (error: Error) => {
    broken = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type?: string; image_id?: string; status?: string };
    if (message.type !== 'image_processed' || !message.image_id) return;
    outcome.set(message.image_id, message.status ?? '');
    settle(message.image_id);
  });
  socket.on('error', (error) => breakAll(error));
  socket.on('close', () => breakAll(new Error('the notification socket closed')));
  return {
    once: (imageId) =>
      new Promise<void>((resolve, reject) => {
        if (broken && !outcome.has(imageId)) return reject(broken);
        const timer = setTimeout(() => {
          waiting.delete(imageId);
          reject(new Error(`image ${imageId}: no image_processed notification within 10 minutes`));
        }, 600_000);
        const done =
          <A extends unknown[]>(f: (...a: A) => void) =>
          (...a: A) => {
            clearTimeout(timer);
            f(...a);
          };
        waiting.set(imageId, { resolve: done(resolve), reject: done(reject) });
        settle(imageId);
      }),
    close: () => {
      socket.removeAllListeners('close');
      socket.close();
    },
  };
}

export async function benchApi(
  options: { workers?: number; images?: number; photos?: Uint8Array[] } = {},
): Promise<ApiFigures> {
  const workers = options.workers ?? Number(process.env.SKINSCOPE_WORKERS ?? availableParallelism());
  const count = options.images ?? Number(process.env.BENCH_IMAGES ?? 60);
  const warmup = Number(process.env.BENCH_API_WARMUP ?? 20);
  const photos =
    options.photos ??
    readdirSync(FACES)
      .filter((f) => /\.jpe?g$/i.test(f))
      .map((f) => readFileSync(join(FACES, f)));
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-bench-'));
  const server = await startServerProcess(dir, workers);
  const rss = () => serveMemoryOf(server.child.pid!);
  let stopNotifications = () => {};
  try {
    const started = rss();
    // The server writes the first login just after it starts listening.
    const loginFile = join(dir, FIRST_LOGIN_FILE);
    for (let i = 0; i < 600 && !existsSync(loginFile); i++) await new Promise((r) => setTimeout(r, 50));
    const password = /password: (\S+)/.exec(readFileSync(loginFile, 'utf8'))![1]!;
    const client = new SkinscopeClient({ baseUrl: server.address });
    const login = await client.login('admin@localhost', password);
    const c = login.company_id;
    const dataset = await client.createDataset(c, { name: 'bench' });
    await client.attachApplication(c, FSM2, dataset.id);
    const subject = await client.createSubject(c, dataset.id, { name: 'bench' });
    const processed = await imageNotifications(
      client.notificationUrls({ companyId: c, userId: login.id }).images,
      login.access_token,
    );
    stopNotifications = processed.close;

    const one = async (bytes: Uint8Array): Promise<number> => {
      const batch = await client.createBatch(c, dataset.id, subject.id);
      const t0 = performance.now();
      const image = await client.uploadImage(
        { companyId: c, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id },
        { bytes },
      );
      await processed.once(image.id);
      const ref: ImageRef = {
        companyId: c,
        datasetId: dataset.id,
        subjectId: subject.id,
        batchId: batch.id,
        imageId: image.id,
      };
      const results = await client.results(ref);
      if (!results.length) throw new Error(`image ${image.id}: processed without results`);
      return performance.now() - t0;
    };

    await Promise.all(Array.from({ length: warmup }, (_, i) => one(photos[(i + 5) % photos.length]!)));
    const warm = rss();
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) latencies.push(await one(photos[i % photos.length]!));
    const afterLatency = rss();

    const uploaders = Math.min(count, Number(process.env.BENCH_UPLOADERS ?? 20));
    const series: { images: number; rssMiB: number }[] = [];
    const finished: number[] = [];
    let next = 0;
    const uploader = async () => {
      while (next < count) {
        await one(photos[next++ % photos.length]!);
        finished.push(performance.now());
        if (finished.length % RSS_EVERY === 0 || finished.length === count)
          series.push({ images: finished.length, rssMiB: rss() });
      }
    };
    const serverCpu0 = cpuMsOf(server.child.pid!);
    const clientCpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: uploaders }, uploader));
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = cpuMsOf(server.child.pid!) - serverCpu0;
    const clientCpu = process.cpuUsage(clientCpu0);
    const edge = count > 4 * STEADY_EDGE ? STEADY_EDGE : 0;
    const steadySpan = (finished[count - 1 - edge]! - (edge ? finished[edge - 1]! : t0)) / 1000;
    return {
      workers,
      latencyMs: median(latencies),
      latencyMinMs: Math.min(...latencies),
      latencyMaxMs: Math.max(...latencies),
      images: count,
      uploaders,
      imagesPerSecond: count / seconds,
      steadyCompletions: [edge + 1, count - edge],
      steadyImagesPerSecond: (count - 2 * edge) / steadySpan,
      serverCpuMsPerImage: serverCpu / count,
      clientCpuMsPerImage: (clientCpu.user + clientCpu.system) / 1000 / count,
      rssMiB: { started, warm, latency: afterLatency, throughput: rss() },
      rssSeries: series,
      warmup,
    };
  } finally {
    stopNotifications();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printApiFigures(f: ApiFigures): void {
  console.log(`\n### API (upload -> results over HTTP, ${f.workers} engine worker(s))\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(
    `| latency, one image, median of 5 (after ${f.warmup} images) | ${f.latencyMs.toFixed(0)} ms |`,
  );
  console.log(
    `| latency, one image, min / max | ${f.latencyMinMs.toFixed(0)} / ${f.latencyMaxMs.toFixed(0)} ms |`,
  );
  console.log(
    `| throughput, ${f.images} images by ${f.uploaders} concurrent uploaders: steady state (completions ${f.steadyCompletions.join('-')}) / whole run | ${f.steadyImagesPerSecond.toFixed(2)} / ${f.imagesPerSecond.toFixed(2)} images/s |`,
  );
  console.log(
    `| CPU per image during the throughput run: \`skinscope serve\` (all threads) / load generator (SDK client) | ${f.serverCpuMsPerImage.toFixed(0)} / ${f.clientCpuMsPerImage.toFixed(0)} ms |`,
  );
  const r = f.rssMiB;
  console.log(
    `| skinscope serve memory (server RSS + launcher's private): started / warmed up / after latency / after throughput | ${[r.started, r.warm, r.latency, r.throughput].map((v) => v.toFixed(0)).join(' / ')} MiB |`,
  );
  console.log(
    `| skinscope serve memory during the throughput run, by results received | ${f.rssSeries.map((p) => `${p.images}: ${p.rssMiB.toFixed(0)}`).join(', ')} MiB |`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) printApiFigures(await benchApi());
