/**
 * `npm run bench:memory`: memory under load. Runs BENCH_MEMORY_IMAGES analyses (default 1000; all
 * algorithms and the restored image, the server's request) of the single-face portraits through an
 * engine pool of BENCH_MEMORY_WORKERS workers (default 2, as the server on this machine), two
 * images in flight per worker, and prints every 100 images the process RSS and each worker's heap,
 * array buffers, wasm heap and live tensors. Exits with code 1 when memory keeps growing after
 * the warm-up (the first 200 images): RSS grows by more than GROWTH_LIMIT_MIB from the warm-up to
 * the end and still by more than half that over the second half, or a worker's tensor count changes.
 */
import { readFile } from 'node:fs/promises';
import { createEnginePool, type WorkerMemory } from '../packages/engine/src/index.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';
import { markdownTable } from './bench-stats.ts';

const IMAGES = Number(process.env.BENCH_MEMORY_IMAGES ?? 1000);
const WORKERS = Number(process.env.BENCH_MEMORY_WORKERS ?? 2);
const EVERY = 100;
const WARM_UP = 200;
/** RSS growth after the warm-up that counts as "still growing", MiB. */
const GROWTH_LIMIT_MIB = 64;

export interface MemoryFigures {
  workers: number;
  /** Process RSS after the warm-up and at the end, MiB. */
  rssWarmMiB: number;
  rssEndMiB: number;
  images: number;
  growing: boolean;
  reasons: string[];
}

interface Checkpoint {
  images: number;
  rssMiB: number;
  workers: WorkerMemory[];
}

export async function benchMemory(images = IMAGES, workers = WORKERS): Promise<MemoryFigures> {
  const photos = await Promise.all(SINGLE_FACE_PORTRAITS.map((n) => readFile(portraitPath(n))));
  const pool = await createEnginePool({ workers });
  const checkpoints: Checkpoint[] = [];
  try {
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < images) {
        const k = next++;
        await pool.analyze(photos[k % photos.length]!, { restored: true });
        done++;
        if (done % EVERY === 0) {
          const memory = await pool.memory();
          checkpoints.push({ images: done, rssMiB: process.memoryUsage().rss / 2 ** 20, workers: memory });
          const w = memory
            .map(
              (m, i) =>
                `w${i} heap ${m.heapUsedMiB.toFixed(0)} ab ${m.arrayBuffersMiB.toFixed(0)} wasm ${m.wasmHeapMiB.toFixed(0)} tensors ${m.tensors}`,
            )
            .join('; ');
          console.error(`${done} images: RSS ${checkpoints.at(-1)!.rssMiB.toFixed(0)} MiB (${w})`);
        }
      }
    };
    await Promise.all(Array.from({ length: 2 * workers }, lane));
  } finally {
    await pool.close();
  }
  return verdict(checkpoints, images, workers);
}

function verdict(checkpoints: Checkpoint[], images: number, workers: number): MemoryFigures {
  const warm = checkpoints.find((c) => c.images >= WARM_UP) ?? checkpoints[0]!;
  const end = checkpoints.at(-1)!;
  const middle = checkpoints[Math.floor((checkpoints.indexOf(warm) + checkpoints.length - 1) / 2)]!;
  const reasons: string[] = [];
  if (end.rssMiB - warm.rssMiB > GROWTH_LIMIT_MIB && end.rssMiB - middle.rssMiB > GROWTH_LIMIT_MIB / 2)
    reasons.push(
      `RSS grew ${(end.rssMiB - warm.rssMiB).toFixed(0)} MiB after the warm-up, ${(end.rssMiB - middle.rssMiB).toFixed(0)} MiB of it in the second half`,
    );
  warm.workers.forEach((w, i) => {
    const last = end.workers[i];
    if (last && last.tensors !== w.tensors)
      reasons.push(`worker ${i}: ${w.tensors} → ${last.tensors} live tensors`);
  });
  console.log(
    `\n### Memory over ${images} analyses (${workers} workers, all algorithms + restored image), MiB\n`,
  );
  console.log(
    markdownTable(
      [
        'images',
        'process RSS',
        ...Array.from({ length: workers }, (_, i) => `worker ${i}: heap / buffers / wasm`),
      ],
      checkpoints.map((c) => [
        c.images,
        Math.round(c.rssMiB),
        ...c.workers.map(
          (w) =>
            `${w.heapUsedMiB.toFixed(0)} / ${w.arrayBuffersMiB.toFixed(0)} / ${w.wasmHeapMiB.toFixed(0)}`,
        ),
      ]),
    ),
  );
  console.log(
    reasons.length
      ? `\nMEMORY CHECK FAILED: ${reasons.join('; ')}`
      : '\nMemory check passed: flat after the warm-up.',
  );
  return {
    workers,
    rssWarmMiB: warm.rssMiB,
    rssEndMiB: end.rssMiB,
    images,
    growing: reasons.length > 0,
    reasons,
  };
}

/** Prefix of the line with the figures as JSON that a run as a script prints last (bench.ts reads it). */
export const FIGURES_LINE = 'memory figures:';

if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await benchMemory();
  console.log(`${FIGURES_LINE} ${JSON.stringify(figures)}`);
  if (figures.growing) process.exitCode = 1;
}
