/**
 * A/B timing of this tree's engine against another checkout's, in one process so that both see the
 * same machine load: `node --import tsx scripts/bench-compare.ts <other checkout>` (for example a
 * `git worktree` of main, with node_modules). Both engines share the node_modules of this tree's
 * resolution (tfjs, Human, sharp); each analyses every ~1 MP single-face portrait COMPARE_ROUNDS
 * times (default 3, all algorithms + restored image), alternating which goes first. Prints the
 * median wall and CPU time per analysis and per stage, and the ratios.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Engine } from '../packages/engine/src/index.ts';
import { createEngine, FaceModels } from '../packages/engine/src/index.ts';
import { portraitPath, SINGLE_FACE_PORTRAITS } from '../packages/engine/src/testing/faces.ts';
import { markdownTable, median } from './bench-stats.ts';

const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 3);

interface Sample {
  wall: number;
  cpu: number;
  timings: Record<string, number>;
}

async function main(): Promise<void> {
  const other = process.argv[2];
  if (!other) throw new Error('usage: bench-compare.ts <other checkout>');
  const otherEngine = (await import(resolve(other, 'packages/engine/src/index.ts'))) as {
    createEngine: typeof createEngine;
    FaceModels: typeof FaceModels;
  };
  const engines: Record<'other' | 'this', Engine> = {
    other: otherEngine.createEngine({ faces: await otherEngine.FaceModels.load() }),
    this: createEngine({ faces: await FaceModels.load() }),
  };
  const photos: Buffer[] = [];
  for (const name of SINGLE_FACE_PORTRAITS) {
    const bytes = await readFile(portraitPath(name));
    const a = await engines.this.analyze(bytes, { restored: true });
    await engines.other.analyze(bytes, { restored: true });
    if (a.image.width * a.image.height > 0.7e6 && a.image.width * a.image.height < 1.6e6) photos.push(bytes);
  }
  const samples: Record<'other' | 'this', Sample[]> = { other: [], this: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, bytes] of photos.entries()) {
      const order: ('other' | 'this')[] = (round + i) % 2 ? ['this', 'other'] : ['other', 'this'];
      for (const which of order) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const a = await engines[which].analyze(bytes, { restored: true });
        const wall = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        samples[which].push({ wall, cpu: (cpu.user + cpu.system) / 1000, timings: a.timings });
      }
    }
  }
  const stages = [...new Set(samples.this.flatMap((s) => Object.keys(s.timings)))];
  const med = (which: 'other' | 'this', f: (s: Sample) => number | undefined) => {
    const xs = samples[which].map(f).filter((v): v is number => v !== undefined);
    return xs.length ? median(xs) : Number.NaN;
  };
  const rows: (string | number)[][] = [
    ['wall per analysis', med('other', (s) => s.wall), med('this', (s) => s.wall)],
    ['CPU per analysis (process)', med('other', (s) => s.cpu), med('this', (s) => s.cpu)],
    ...stages.map((k) => [k, med('other', (s) => s.timings[k]), med('this', (s) => s.timings[k])]),
  ].map(([k, a, b]) => [k as string, a as number, b as number, (b as number) / (a as number)]);
  console.log(
    `\n### ${photos.length} ~1 MP portraits × ${ROUNDS} rounds, alternating (medians, ms): ${resolve(other)} against this tree\n`,
  );
  console.log(markdownTable(['measure', 'other', 'this', 'this / other'], rows));
}

await main();
