/** Perceived age on fairface: MAE to the bin (0 inside) and share inside the bin, per bin and gender, held-out half. */
import { readFile } from 'node:fs/promises';
import type { EnginePool } from '../../packages/engine/src/index.ts';
import { isAlgorithmPayload } from '../../packages/engine/src/index.ts';
import {
  AGE_BINS,
  binDistance,
  type FairfaceItem,
  isAdultBin,
  readFairface,
  signedBinDistance,
} from './fairface.ts';
import { analyzeAll } from './pool.ts';
import { mean, pearson } from './values.ts';

export interface AgeRow {
  group: string;
  n: number;
  /** Faces the detector missed (not in n). */
  missed: number;
  raw_mae_to_bin: number;
  raw_inside: number;
  mae_to_bin: number;
  inside: number;
  /** Mean signed distance to the bin, years (negative: read younger than the bin; 0 inside). */
  bias: number;
}

export interface AgeSection {
  split: 'test';
  rows: AgeRow[];
  /** Pearson r between mean eye age and perceived age over the held-out faces. */
  eye_age_vs_age_r: number;
  /** Mean |left − right| eye age, years. */
  eye_age_left_right_mean_abs: number;
}

interface Sample {
  item: FairfaceItem;
  raw: number;
  age: number;
  eyeMean: number | null;
  eyeDiff: number | null;
}

export async function evalAge(pool: EnginePool): Promise<AgeSection> {
  const items = (await readFairface()).filter((i) => i.split === 'test');
  const analyses = await analyzeAll(pool, await Promise.all(items.map((i) => readFile(i.path))), {
    algorithms: ['age', 'eye_age'],
  });
  const samples: (Sample | null)[] = analyses.map((a, i) => {
    const age = a?.results.find((r) => r.algorithm_tech_name === 'age');
    if (!age || !isAlgorithmPayload(age.result)) return null;
    const raw = age.result.raw as { age_years: number; model_age_years: number };
    const eye = a?.results.find((r) => r.algorithm_tech_name === 'eye_age');
    let eyeMean: number | null = null;
    let eyeDiff: number | null = null;
    if (eye && isAlgorithmPayload(eye.result)) {
      const face = eye.result.area_results.find((x) => x.area_name === 'face');
      // A closed or hidden eye has no eye age (null): the difference needs both eyes measured.
      const num = (v: unknown) => (typeof v === 'number' ? v : null);
      const left = num(face?.sub_metrics.find((m) => m.tech_name === 'left_eye_age')?.value);
      const right = num(face?.sub_metrics.find((m) => m.tech_name === 'right_eye_age')?.value);
      eyeMean = num(face?.main_metric.value);
      eyeDiff = left !== null && right !== null ? Math.abs(left - right) : null;
    }
    return { item: items[i]!, raw: raw.model_age_years, age: raw.age_years, eyeMean, eyeDiff };
  });
  const row = (group: string, pick: (i: FairfaceItem) => boolean): AgeRow => {
    const all = items.filter(pick);
    const xs = samples.filter((s): s is Sample => s !== null && pick(s.item));
    const d = (f: (s: Sample) => number) => xs.map((s) => binDistance(f(s), s.item));
    const signed = xs.map((s) => signedBinDistance(s.age, s.item));
    return {
      group,
      n: xs.length,
      missed: all.length - xs.length,
      raw_mae_to_bin: mean(d((s) => s.raw)),
      raw_inside: mean(d((s) => s.raw).map((x) => (x === 0 ? 1 : 0))),
      mae_to_bin: mean(d((s) => s.age)),
      inside: mean(d((s) => s.age).map((x) => (x === 0 ? 1 : 0))),
      bias: mean(signed),
    };
  };
  const rows: AgeRow[] = [];
  for (const bin of AGE_BINS)
    for (const gender of ['Female', 'Male'])
      rows.push(row(`${bin} ${gender}`, (i) => i.bin === bin && i.gender === gender));
  for (const bin of AGE_BINS) rows.push(row(`${bin} all`, (i) => i.bin === bin));
  rows.push(row('20-69 all', (i) => isAdultBin(i.bin)));
  rows.push(row('all', () => true));
  const withEye = samples.filter(
    (s): s is Sample & { eyeMean: number; eyeDiff: number | null } => s?.eyeMean != null,
  );
  return {
    split: 'test',
    rows,
    eye_age_vs_age_r: pearson(
      withEye.map((s) => s.eyeMean),
      withEye.map((s) => s.age),
    ),
    eye_age_left_right_mean_abs: mean(withEye.flatMap((s) => (s.eyeDiff === null ? [] : [s.eyeDiff]))),
  };
}
