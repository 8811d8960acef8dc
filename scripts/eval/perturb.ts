/**
 * Photo perturbations: resize to 70% and 140%, JPEG quality 70, exposure ±10%, rotation by 3°, a 5%
 * crop. Per metric: mean absolute change from the unperturbed photo, and ICC(2,1) between original and
 * perturbed over the photos (one ICC per perturbation, averaged). Two photo sets: the portraits with
 * every algorithm (PORTRAIT_PERTURB_SET), and acne04 close-ups with `acne` alone
 * (acne04PerturbSet), whose lesion counts span mild to very severe where the portraits' are all near 0.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Analysis, EnginePool } from '../../packages/engine/src/index.ts';
import { portraitPath } from '../../packages/engine/src/testing/faces.ts';
import { ACNE04_DIR, readAcne04 } from './acne04.ts';
import { analyzeAll } from './pool.ts';
import type { StabilityRow } from './retest.ts';
import { headlineKeys, icc21, type MetricKey, mean, numericValues } from './values.ts';

/** Single-face portraits of several people, sizes and skin tones. */
export const PERTURB_PHOTOS = [
  'ageitgey__examples_biden.jpg',
  'ageitgey__examples_knn_examples_test_alex_lacamoire1.jpg',
  'ageitgey__examples_knn_examples_train_rose_leslie_img1.jpg',
  'ageitgey__examples_obama.jpg',
  'fr-img2.jpg',
  'person-celeste.jpg',
  'person-lauren.jpg',
  'person-linda.jpg',
  'person-vlado.jpg',
  'vladmandic__samples_in_stock-emotions-a-1.jpg',
  'vladmandic__samples_in_stock-emotions-b-1.jpg',
];

/** Photos to perturb, the algorithms to run on them, and how the report names the set. */
export interface PerturbSet {
  label: string;
  files: string[];
  paths: string[];
  /** Every algorithm when absent. */
  algorithms?: string[];
}

export const PORTRAIT_PERTURB_SET: PerturbSet = {
  label: 'portraits',
  files: PERTURB_PHOTOS,
  paths: PERTURB_PHOTOS.map(portraitPath),
};

/** Every ACNE04_PERTURB_STEP-th acne04 photo (sorted by name), grades 0-3. */
export const ACNE04_PERTURB_STEP = 5;

export async function acne04PerturbSet(): Promise<PerturbSet> {
  const files = (await readAcne04()).filter((_, i) => i % ACNE04_PERTURB_STEP === 0).map((i) => i.file);
  return {
    label: 'acne04 close-ups, acne alone',
    files,
    paths: files.map((f) => join(ACNE04_DIR, 'images', f)),
    algorithms: ['acne'],
  };
}

type Perturbation = (bytes: Buffer) => Promise<Buffer>;

const size = async (b: Buffer) => {
  const m = await sharp(b).autoOrient().metadata();
  const w = m.autoOrient?.width ?? m.width ?? 0;
  const h = m.autoOrient?.height ?? m.height ?? 0;
  return { w, h };
};

export const PERTURBATIONS: Record<string, Perturbation> = {
  'resize 70%': async (b) => {
    const { w } = await size(b);
    return sharp(b)
      .autoOrient()
      .resize({ width: Math.round(w * 0.7) })
      .jpeg({ quality: 95 })
      .toBuffer();
  },
  'resize 140%': async (b) => {
    const { w } = await size(b);
    return sharp(b)
      .autoOrient()
      .resize({ width: Math.round(w * 1.4) })
      .jpeg({ quality: 95 })
      .toBuffer();
  },
  'jpeg q70': (b) => sharp(b).autoOrient().jpeg({ quality: 70 }).toBuffer(),
  'exposure +10%': (b) => sharp(b).autoOrient().linear(1.1, 0).jpeg({ quality: 95 }).toBuffer(),
  'exposure -10%': (b) => sharp(b).autoOrient().linear(0.9, 0).jpeg({ quality: 95 }).toBuffer(),
  'rotate 3°': (b) =>
    sharp(b).autoOrient().rotate(3, { background: '#808080' }).jpeg({ quality: 95 }).toBuffer(),
  'crop 5%': async (b) => {
    const { w, h } = await size(b);
    const dx = Math.round(w * 0.025);
    const dy = Math.round(h * 0.025);
    return sharp(b)
      .autoOrient()
      .extract({ left: dx, top: dy, width: w - 2 * dx, height: h - 2 * dy })
      .jpeg({ quality: 95 })
      .toBuffer();
  },
};

export interface PerturbSection {
  label: string;
  photos: string[];
  headline: MetricKey[];
  rows: StabilityRow[];
  /** Mean absolute change of each headline metric per perturbation. */
  by_perturbation: Record<string, Record<MetricKey, number>>;
}

export async function evalPerturb(pool: EnginePool, set: PerturbSet): Promise<PerturbSection> {
  const originals = await Promise.all(set.paths.map((p) => readFile(p)));
  const names = Object.keys(PERTURBATIONS);
  const variants = await Promise.all(
    originals.map(async (o) => [o, ...(await Promise.all(names.map((n) => PERTURBATIONS[n]!(o))))]),
  );
  const analyses = await analyzeAll(
    pool,
    variants.flat(),
    set.algorithms ? { algorithms: set.algorithms } : undefined,
  );
  const k = names.length + 1;
  const values = analyses.map((a) => (a ? numericValues(a) : null));
  const base = set.files.map((_, p) => values[p * k]);
  const keys = new Set(base.flatMap((v) => (v ? [...v.keys()] : [])));
  const rows: StabilityRow[] = [];
  const byPerturbation: Record<string, Record<MetricKey, number>> = Object.fromEntries(
    names.map((n) => [n, {}]),
  );
  for (const key of keys) {
    const changes: number[] = [];
    const iccs: number[] = [];
    let photos = 0;
    names.forEach((name, j) => {
      const pairs: number[][] = [];
      set.files.forEach((_, p) => {
        const a = base[p]?.get(key);
        const b = values[p * k + j + 1]?.get(key);
        if (a !== undefined && b !== undefined) pairs.push([a, b]);
      });
      photos = Math.max(photos, pairs.length);
      const abs = pairs.map(([a, b]) => Math.abs(a! - b!));
      changes.push(...abs);
      byPerturbation[name]![key] = mean(abs);
      const icc = icc21(pairs);
      if (Number.isFinite(icc)) iccs.push(icc);
    });
    rows.push({
      metric: key,
      mean_abs_change: mean(changes),
      icc: iccs.length ? mean(iccs) : Number.NaN,
      n: photos,
    });
  }
  const ok = analyses.filter((a): a is Analysis => a !== null);
  return {
    label: set.label,
    photos: set.files,
    headline: headlineKeys(keys, ok),
    rows,
    by_perturbation: byPerturbation,
  };
}
