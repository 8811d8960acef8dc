/**
 * `npm run bench`: per-stage latency of the engine on the shared portraits (in-process, one core),
 * the time each metric group adds, throughput through the worker pool with one and two workers,
 * the API (upload → results over HTTP), the CLI's one-photo run, and memory over 1,000 analyses;
 * then the figures the speed goals are stated in (issue 15), as ratios. Prints markdown tables.
 *
 * Environment: BENCH_ROUNDS (default 3) analyses of each photo in the stage table;
 * BENCH_MEMORY_IMAGES (default 1000; 0 skips the memory part, which runs bench-memory.ts in a process
 * of its own; `npm run bench:memory` runs it alone);
 * BENCH_API=0 skips the API part. The machine is shared: the load average is printed at the start
 * and the end, and CPU time per analysis is printed beside wall time (it is far less sensitive to
 * other processes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createEngine, createEnginePool, type Engine, FaceModels } from '../packages/engine/src/index.ts';
import { WORKER_HEAP_FLAGS } from '../packages/engine/src/pool/engine-pool.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';
import { type ApiFigures, benchApi, printApiFigures } from './bench-api.ts';
import { FIGURES_LINE, type MemoryFigures } from './bench-memory.ts';
import { markdownTable, median, quantile } from './bench-stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MEMORY_IMAGES = Number(process.env.BENCH_MEMORY_IMAGES ?? 1000);
const CLI_PHOTO = 'ageitgey__examples_obama-720p.jpg';
/** Metric groups whose added cost is reported separately. */
const METRIC_GROUPS: Record<string, string[]> = {
  'quality (issue 2)': ['quality'],
  colour: ['skin_tone', 'redness', 'uniformness', 'pigmentation', 'eye_area_condition', 'translucency'],
  texture: ['lines', 'wrinkles', 'sagging', 'pores', 'acne', 'skin_type', 'hydration'],
  age: ['age', 'eye_age'],
};

interface Photo {
  name: string;
  bytes: Buffer;
}

/** What the stage run measured on the ~1 MP portraits (0.7-1.6 MP), per analysis. */
interface StageFigures {
  /** Full analysis (all algorithms + restored image), wall ms. */
  totals: number[];
  /** decode + face + geometry + quality, wall ms. */
  floors: number[];
  /** total / floor of each analysis. */
  ratios: number[];
  /** Process CPU time of each analysis (this thread plus sharp's threads), ms. */
  cpu: number[];
}

const isOneMp = (width: number, height: number) => width * height > 0.7e6 && width * height < 1.6e6;

async function stageLatency(engine: Engine, photos: Photo[]): Promise<StageFigures> {
  for (const p of photos.slice(0, 3)) await engine.analyze(p.bytes);
  const samples = new Map<string, number[]>();
  const figures: StageFigures = { totals: [], floors: [], ratios: [], cpu: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of photos) {
      const cpu0 = process.cpuUsage();
      const a = await engine.analyze(p.bytes, { restored: true });
      const cpu = process.cpuUsage(cpu0);
      for (const [stage, ms] of Object.entries(a.timings)) {
        const key = stage.replace(/^metric:/, '');
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key)!.push(ms);
      }
      if (isOneMp(a.image.width, a.image.height)) {
        const t = a.timings;
        const floor = (t.decode ?? 0) + (t.face ?? 0) + (t.geometry ?? 0) + (t['metric:quality'] ?? 0);
        figures.floors.push(floor);
        figures.totals.push(t.total!);
        figures.ratios.push(t.total! / floor);
        figures.cpu.push((cpu.user + cpu.system) / 1000);
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
    `\ndecode + face + geometry + quality on ~1 MP portraits (0.7-1.6 MP, n = ${figures.floors.length}): median ${median(figures.floors).toFixed(1)} ms, p90 ${quantile(figures.floors, 0.9).toFixed(1)} ms`,
  );
  console.log(`RSS after the run: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  return figures;
}

/** Analyses of each photo per group in groupCost; the photo's time is their median (this VM's run-to-run noise is ±10%). */
const GROUP_REPEATS = 3;

/**
 * Each metric group run alone (with the face detector), so that the shared inputs the group
 * triggers are charged to it: the time the group adds to an analysis of a ~1 MP portrait (per
 * photo the median of GROUP_REPEATS analyses, then median and p90 over the photos).
 */
async function groupCost(engine: Engine, photos: Photo[]): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [group, algorithms] of Object.entries(METRIC_GROUPS)) {
    const totals: number[] = [];
    for (const p of photos) {
      const repeats: number[] = [];
      for (let k = 0; k < GROUP_REPEATS; k++) {
        const a = await engine.analyze(p.bytes, { algorithms, restored: false });
        if (!isOneMp(a.image.width, a.image.height)) break;
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

/** Images per second through the pool (all algorithms + restored image), by number of workers. */
async function poolThroughput(photos: Photo[]): Promise<Map<number, number>> {
  const rows: (string | number)[][] = [];
  const rates = new Map<number, number>();
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
    rates.set(workers, jobs.length / seconds);
    rows.push([workers, jobs.length, jobs.length / seconds, median(latencies)]);
    await pool.close();
  }
  console.log(
    `\n### Throughput through the worker pool (all algorithms, restored image; ${cpus().length} cores)\n`,
  );
  console.log(markdownTable(['workers', 'images', 'images/s', 'median latency incl. queue, ms'], rows));
  return rates;
}

/** `skinscope analyze <photo>` as a whole process, 3 runs: median wall time and CPU time (user + system), s. */
function cliRun(): { wall: number; cpu: number | null } {
  const bin = join(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'skinscope.js');
  const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const walls: number[] = [];
  const cpus: number[] = [];
  // The command runs from its bundle, rebuilt by the first run after a source changed: build it first.
  const build = spawnSync(process.execPath, [join(bin, '..', 'analyze-bundle.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the CLI bundle failed: ${build.stderr}`);
  for (let i = 0; i < 3; i++) {
    const args = [process.execPath, bin, 'analyze', portraitPath(CLI_PHOTO)];
    const t0 = performance.now();
    const run = timer
      ? spawnSync(timer, ['-f', 'cpu %U %S', ...args], { encoding: 'utf8' })
      : spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
    walls.push((performance.now() - t0) / 1000);
    if (run.status !== 0) throw new Error(`skinscope analyze failed: ${run.stderr}`);
    const m = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
    if (m) cpus.push(Number(m[1]) + Number(m[2]));
  }
  return { wall: median(walls), cpu: cpus.length ? median(cpus) : null };
}

/**
 * The memory bench in a process of its own, so that its RSS is the pool's and not this process's
 * (which by then holds an in-process engine and has run the API).
 */
function memoryRun(): MemoryFigures {
  const script = join(import.meta.dirname, 'bench-memory.ts');
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_MEMORY_IMAGES: String(MEMORY_IMAGES) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = run.stdout.trimEnd().split('\n');
  const figures = lines.find((l) => l.startsWith(FIGURES_LINE));
  if (!figures) throw new Error(`bench-memory.ts printed no figures (exit ${run.status})`);
  console.log(lines.filter((l) => l !== figures).join('\n'));
  return JSON.parse(figures.slice(FIGURES_LINE.length)) as MemoryFigures;
}

function machine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' / ');

function printGoals(
  stages: StageFigures,
  rates: Map<number, number>,
  api: ApiFigures | null,
  inProcessApiPhotos: number,
  cli: { wall: number; cpu: number | null },
  memory: MemoryFigures | null,
): void {
  const cores = cpus().length;
  const full = median(stages.totals);
  const rows: (string | number)[][] = [
    [
      'every algorithm + restored image, ~1 MP portrait, one thread, median',
      `${full.toFixed(0)} ms`,
      '≤ 250 ms',
    ],
    [
      'the same, CPU time per analysis (this thread + sharp), median',
      `${median(stages.cpu).toFixed(0)} ms`,
      '',
    ],
    [
      'full analysis / decode + face + geometry + quality floor (median of per-image ratios)',
      `${median(stages.ratios).toFixed(2)} (floor ${median(stages.floors).toFixed(0)} ms)`,
      '≤ 3',
    ],
    ['images/s per core, in-process (1000 / median CPU ms)', (1000 / median(stages.cpu)).toFixed(2), ''],
    [
      `images/s per core, pool (${Math.max(...rates.keys())} workers / ${cores} cores)`,
      (rates.get(Math.max(...rates.keys()))! / Math.min(cores, Math.max(...rates.keys()))).toFixed(2),
      '',
    ],
  ];
  if (api) {
    rows.push(
      [
        `upload → all results over HTTP, one image, ${api.workers} workers, median of 5`,
        `${api.latencyMs.toFixed(0)} ms`,
        '≤ 500 ms',
      ],
      [
        'HTTP upload → results / in-process analysis of the same photos',
        (api.latencyMs / inProcessApiPhotos).toFixed(2),
        '',
      ],
      [
        `images/s per core through the API, steady state (${api.uploaders} concurrent uploaders, ${api.workers} workers, the load generator on the same cores)`,
        (api.steadyImagesPerSecond / Math.min(cores, api.workers)).toFixed(2),
        '≥ 3.5',
      ],
      [
        `the same, whole run (${api.images} images, the queue filling and draining included)`,
        (api.imagesPerSecond / Math.min(cores, api.workers)).toFixed(2),
        '',
      ],
      [
        'CPU per image through the API: `skinscope serve` / load generator (images per CPU-second of the server)',
        `${api.serverCpuMsPerImage.toFixed(0)} / ${api.clientCpuMsPerImage.toFixed(0)} ms (${(1000 / api.serverCpuMsPerImage).toFixed(2)})`,
        '',
      ],
      [
        `\`skinscope serve\` memory, server RSS + launcher's private (${api.workers} engine workers): after ${api.warmup} images / after ${api.warmup + 5 + api.images}`,
        `${api.rssMiB.warm.toFixed(0)} / ${api.rssMiB.throughput.toFixed(0)} MiB (${(api.rssMiB.throughput / api.workers).toFixed(0)} per worker, API thread included)`,
        'flat; ≤ 500 MB per worker',
      ],
    );
  }
  rows.push([
    '`skinscope analyze` of one photo, whole process, median of 3',
    `${cli.wall.toFixed(2)} s wall${cli.cpu === null ? '' : `, ${cli.cpu.toFixed(2)} s CPU`}`,
    '≤ 1.5 s',
  ]);
  if (memory) {
    rows.push([
      `process RSS after warm-up (${Math.min(200, memory.images)} images) / after ${memory.images} images, ${memory.workers} workers`,
      `${memory.rssWarmMiB.toFixed(0)} / ${memory.rssEndMiB.toFixed(0)} MiB (${(memory.rssEndMiB / memory.workers).toFixed(0)} per worker, main thread included; ${memory.growing ? 'still growing' : 'flat'})`,
      `flat; ≤ 500 MB per worker`,
    ]);
  }
  console.log(`\n### Goals of issue 15 (${machine()}; load average at the end ${load()})\n`);
  console.log(markdownTable(['what', 'measured', 'goal'], rows));
}

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}. Load average (1/5/15 min) at the start: ${load()}.`);
  const photos = await Promise.all(
    SINGLE_FACE_PORTRAITS.map(async (name) => ({ name, bytes: await readFile(portraitPath(name)) })),
  );
  const engine = createEngine({ faces: await FaceModels.load() });
  const stages = await stageLatency(engine, photos);
  await groupCost(engine, photos);
  // The in-process time of the photos the API's latency figure uploads (its first five), 3 rounds.
  const inProcess: number[] = [];
  for (let round = 0; round < 3; round++)
    for (const p of photos.slice(0, 5))
      inProcess.push((await engine.analyze(p.bytes, { restored: true })).timings.total!);
  const rates = await poolThroughput(photos);
  let api: ApiFigures | null = null;
  if (process.env.BENCH_API !== '0') {
    api = await benchApi({ photos: photos.map((p) => p.bytes) });
    printApiFigures(api);
  }
  const cli = cliRun();
  console.log(
    `\n\`skinscope analyze\` (${CLI_PHOTO}), whole process: ${cli.wall.toFixed(2)} s wall${cli.cpu === null ? '' : `, ${cli.cpu.toFixed(2)} s CPU`}`,
  );
  const memory = MEMORY_IMAGES > 0 ? memoryRun() : null;
  printGoals(stages, rates, api, median(inProcess), cli, memory);
}

/**
 * The V8 heap flags the engine pool gives its workers (WORKER_HEAP_FLAGS): the in-process engine of
 * the stage table runs with them too, so that one thread here is one of the pool's threads.
 * Without them on the command line the bench runs itself again with them.
 */
if (WORKER_HEAP_FLAGS.every((flag) => process.execArgv.includes(flag))) await main();
else {
  const run = spawnSync(
    process.execPath,
    [...WORKER_HEAP_FLAGS, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exitCode = run.status ?? 1;
}
