/**
 * API benchmark: starts Skinscope in-process on a temporary data folder (real engine, one worker per
 * core unless SKINSCOPE_WORKERS is set) and measures, through HTTP and the SDK,
 * - upload-to-results latency for one image (median of 5 after a warm-up), and
 * - throughput for 50 images uploaded at once (BENCH_IMAGES to change).
 * Prints a markdown table. Run alone: `node --import tsx scripts/bench-api.ts`; `npm run bench`
 * calls `benchApi` and relates its figures to the in-process ones.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ImageRef, SkinscopeClient } from '@skinscope/sdk';
import { loadConfig, startServer } from '@skinscope/server';
import { median } from './bench-stats.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const FACES =
  process.env.SKINSCOPE_FACES_DIR !== undefined
    ? join(process.env.SKINSCOPE_FACES_DIR, 'portraits')
    : fileURLToPath(new URL('../../shared/faces/portraits/', import.meta.url));
/** The file the server writes the first-start admin login to, in its data folder. */
const FIRST_LOGIN_FILE = 'first-login.txt';

export interface ApiFigures {
  workers: number;
  /** Upload → all results over HTTP, one image at a time, median of 5, ms. */
  latencyMs: number;
  latencyMinMs: number;
  latencyMaxMs: number;
  images: number;
  imagesPerSecond: number;
  /** Server process RSS at the end, MiB. */
  rssMiB: number;
}

export async function benchApi(
  options: { workers?: number; images?: number; photos?: Uint8Array[] } = {},
): Promise<ApiFigures> {
  const workers = options.workers ?? Number(process.env.SKINSCOPE_WORKERS ?? availableParallelism());
  const count = options.images ?? Number(process.env.BENCH_IMAGES ?? 50);
  const photos =
    options.photos ??
    readdirSync(FACES)
      .filter((f) => /\.jpe?g$/i.test(f))
      .map((f) => readFileSync(join(FACES, f)));
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-bench-'));
  const server = await startServer(
    loadConfig({
      PORT: '0',
      SKINSCOPE_DATA_DIR: dir,
      SKINSCOPE_WORKERS: String(workers),
      LOG_LEVEL: 'silent',
    }),
    () => {},
    false,
  );
  try {
    const password = /password: (\S+)/.exec(readFileSync(join(dir, FIRST_LOGIN_FILE), 'utf8'))![1]!;
    const client = new SkinscopeClient({ baseUrl: server.address! });
    const { company_id: c } = await client.login('admin@localhost', password);
    const dataset = await client.createDataset(c, { name: 'bench' });
    await client.attachApplication(c, FSM2, dataset.id);
    const subject = await client.createSubject(c, dataset.id, { name: 'bench' });

    const one = async (bytes: Uint8Array, intervalMs: number): Promise<number> => {
      const batch = await client.createBatch(c, dataset.id, subject.id);
      const t0 = performance.now();
      const image = await client.uploadImage(
        { companyId: c, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id },
        { bytes },
      );
      const ref: ImageRef = {
        companyId: c,
        datasetId: dataset.id,
        subjectId: subject.id,
        batchId: batch.id,
        imageId: image.id,
      };
      await client.waitForResults(ref, { timeoutMs: 600_000, intervalMs });
      return performance.now() - t0;
    };

    await one(photos[0]!, 20);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) latencies.push(await one(photos[i % photos.length]!, 20));

    const t0 = performance.now();
    await Promise.all(Array.from({ length: count }, (_, i) => one(photos[i % photos.length]!, 100)));
    const seconds = (performance.now() - t0) / 1000;
    return {
      workers,
      latencyMs: median(latencies),
      latencyMinMs: Math.min(...latencies),
      latencyMaxMs: Math.max(...latencies),
      images: count,
      imagesPerSecond: count / seconds,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printApiFigures(f: ApiFigures): void {
  console.log(`\n### API (upload -> results over HTTP, ${f.workers} engine worker(s))\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| latency, one image, median of 5 | ${f.latencyMs.toFixed(0)} ms |`);
  console.log(
    `| latency, one image, min / max | ${f.latencyMinMs.toFixed(0)} / ${f.latencyMaxMs.toFixed(0)} ms |`,
  );
  console.log(`| throughput, ${f.images} images at once | ${f.imagesPerSecond.toFixed(2)} images/s |`);
  console.log(`| server RSS after the run | ${f.rssMiB.toFixed(0)} MiB |`);
}

if (import.meta.url === `file://${process.argv[1]}`) printApiFigures(await benchApi());
