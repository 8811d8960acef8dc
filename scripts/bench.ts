/**
 * `npm run bench`: per-stage latency of the engine on the shared portraits (in-process, one core),
 * then throughput through the worker pool with one and two workers. Prints markdown tables.
 * Set BENCH_ROUNDS (default 3) to change how often each photo is analysed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createEngine, createEnginePool, type Engine, FaceModels } from '../packages/engine/src/index.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';
import { markdownTable, median, quantile } from './bench-stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Texture metrics (issue 4); their shared inputs (lines, shine) are timed inside the first reader. */
/** Metric groups whose added cost is reported separately. */
const METRIC_GROUPS: Record<string, string[]> = {
  'quality (issue 2)': ['quality'],
  colour: ['skin_tone', 'redness', 'uniformness', 'pigmentation', 'eye_area_condition', 'translucency'],
  texture: ['lines', 'wrinkles', 'sagging', 'pores', 'acne', 'skin_type', 'hydration'],
  age: ['age', 'eye_age'],
};

async function stageLatency(engine: Engine, photos: { name: string; bytes: Buffer }[]): Promise<void> {
  for (const p of photos.slice(0, 3)) await engine.analyze(p.bytes);
  const samples = new Map<string, number[]>();
  const oneMp: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of photos) {
      const a = await engine.analyze(p.bytes, { restored: true });
      for (const [stage, ms] of Object.entries(a.timings)) {
        const key = stage.replace(/^metric:/, '');
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key)!.push(ms);
      }
      const pixels = a.image.width * a.image.height;
      if (pixels > 0.7e6 && pixels < 1.6e6) {
        const t = a.timings;
        oneMp.push((t.decode ?? 0) + (t.face ?? 0) + (t.geometry ?? 0) + (t['metric:quality'] ?? 0));
      }
    }
  }
  const order = [
    'decode',
    'face',
    'geometry',
    ...[...samples.keys()].filter((k) => !['decode', 'face', 'geometry', 'restored', 'total'].includes(k)),
    'restored',
    'total',
  ];
  console.log(
    `\n### Engine stages, in-process, one thread (${photos.length} portraits × ${ROUNDS} rounds), ms\n`,
  );
  console.log(
    markdownTable(
      ['stage', 'median', 'p90', 'max'],
      order
        .filter((k) => samples.has(k))
        .map((k) => [
          k,
          median(samples.get(k)!),
          quantile(samples.get(k)!, 0.9),
          Math.max(...samples.get(k)!),
        ]),
    ),
  );
  console.log(
    `\ndecode + face + geometry + quality on ~1 MP portraits (0.7-1.6 MP, n = ${oneMp.length}): median ${median(oneMp).toFixed(1)} ms, p90 ${quantile(oneMp, 0.9).toFixed(1)} ms`,
  );
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`RSS after the run: ${rss.toFixed(0)} MiB`);
}

/** Analyses of each photo per group in groupCost; the photo's time is their median (this VM's run-to-run noise is ±10%). */
const GROUP_REPEATS = 3;

/**
 * Each metric group run alone (with the face detector), so that the shared inputs the group
 * triggers are charged to it: the time the group adds to an analysis of a ~1 MP portrait (per
 * photo the median of GROUP_REPEATS analyses, then median and p90 over the photos).
 */
async function groupCost(engine: Engine, photos: { name: string; bytes: Buffer }[]): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [group, algorithms] of Object.entries(METRIC_GROUPS)) {
    const totals: number[] = [];
    for (const p of photos) {
      const repeats: number[] = [];
      for (let k = 0; k < GROUP_REPEATS; k++) {
        const a = await engine.analyze(p.bytes, { algorithms, restored: false });
        const pixels = a.image.width * a.image.height;
        if (pixels <= 0.7e6 || pixels >= 1.6e6) break;
        const t = a.timings;
        repeats.push(algorithms.reduce((sum, m) => sum + (t[`metric:${m}`] ?? 0), 0) + (t.age_model ?? 0));
      }
      if (repeats.length) totals.push(median(repeats));
    }
    rows.push([group, algorithms.join(', '), totals.length, median(totals), quantile(totals, 0.9)]);
  }
  console.log(
    `\n### Time each metric group adds to a ~1 MP portrait (group run alone, shared inputs included; median of ${GROUP_REPEATS} runs per photo), ms\n`,
  );
  console.log(markdownTable(['group', 'algorithms', 'n', 'median', 'p90'], rows));
}

async function poolThroughput(photos: { name: string; bytes: Buffer }[]): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const workers of [1, 2]) {
    const pool = await createEnginePool({ workers });
    await Promise.all(photos.slice(0, workers * 2).map((p) => pool.analyze(p.bytes)));
    const jobs = Array.from({ length: ROUNDS }, () => photos).flat();
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      jobs.map(async (p) => {
        const t0 = performance.now();
        await pool.analyze(p.bytes);
        latencies.push(performance.now() - t0);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    rows.push([workers, jobs.length, jobs.length / seconds, median(latencies)]);
    await pool.close();
  }
  console.log(
    `\n### Throughput through the worker pool (all algorithms, restored image; ${cpus().length} cores)\n`,
  );
  console.log(markdownTable(['workers', 'images', 'images/s', 'median latency incl. queue, ms'], rows));
}

async function main(): Promise<void> {
  const photos = await Promise.all(
    SINGLE_FACE_PORTRAITS.map(async (name) => ({ name, bytes: await readFile(portraitPath(name)) })),
  );
  const engine = createEngine({ faces: await FaceModels.load() });
  await stageLatency(engine, photos);
  await groupCost(engine, photos);
  await poolThroughput(photos);
  const apiBench = join(import.meta.dirname, 'bench-api.ts');
  if (existsSync(apiBench)) await import(apiBench);
}

await main();
