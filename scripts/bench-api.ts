/**
 * API benchmark: starts Skinscope in-process on a temporary data folder (real engine, one worker per
 * core unless SKINSCOPE_WORKERS is set) and measures, through HTTP and the SDK,
 * - upload-to-results latency for one image (median of 5 after a warm-up), and
 * - throughput for 50 images uploaded at once (BENCH_IMAGES to change).
 * Prints a markdown table. Run: `node --import tsx scripts/bench-api.ts`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ImageRef, SkinscopeClient } from '@skinscope/sdk';
import { loadConfig, startServer } from '@skinscope/server';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
const FACES =
  process.env.SKINSCOPE_FACES_DIR ?? fileURLToPath(new URL('../../shared/faces/portraits/', import.meta.url));
const COUNT = Number(process.env.BENCH_IMAGES ?? 50);
const workers = Number(process.env.SKINSCOPE_WORKERS ?? availableParallelism());

const dir = mkdtempSync(join(tmpdir(), 'skinscope-bench-'));
const lines: string[] = [];
const server = await startServer(
  loadConfig({ PORT: '0', SKINSCOPE_DATA_DIR: dir, SKINSCOPE_WORKERS: String(workers), LOG_LEVEL: 'silent' }),
  (l) => lines.push(l),
);
try {
  const password = /password: (\S+)/.exec(lines.join('\n'))![1]!;
  const client = new SkinscopeClient({ baseUrl: server.address! });
  const { company_id: c } = await client.login('admin@localhost', password);
  const dataset = await client.createDataset(c, { name: 'bench' });
  await client.attachApplication(c, FSM2, dataset.id);
  const subject = await client.createSubject(c, dataset.id, { name: 'bench' });
  const photos = readdirSync(FACES)
    .filter((f) => /\.jpe?g$/i.test(f))
    .map((f) => readFileSync(join(FACES, f)));

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
  latencies.sort((a, b) => a - b);

  const t0 = performance.now();
  await Promise.all(Array.from({ length: COUNT }, (_, i) => one(photos[i % photos.length]!, 100)));
  const seconds = (performance.now() - t0) / 1000;

  const meanKb = photos.reduce((s, p) => s + p.length, 0) / photos.length / 1024;
  console.log(
    `\n### API (upload -> results over HTTP, ${workers} engine worker(s), ${photos.length} photos of ${meanKb.toFixed(0)} KB on average)\n`,
  );
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| latency, one image, median of 5 | ${latencies[2]!.toFixed(0)} ms |`);
  console.log(
    `| latency, one image, min / max | ${latencies[0]!.toFixed(0)} / ${latencies[4]!.toFixed(0)} ms |`,
  );
  console.log(
    `| throughput, ${COUNT} images at once | ${(COUNT / seconds).toFixed(2)} images/s (${seconds.toFixed(1)} s in all) |`,
  );
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
