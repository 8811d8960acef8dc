/** The fairface sample of ../shared/faces (apparent-age bins, CC BY 4.0): labels, split and bin distance. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FACES_DIR } from '../../packages/engine/src/testing/faces.ts';

export const AGE_BINS = ['0-2', '3-9', '10-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70+'] as const;
export type AgeBin = (typeof AGE_BINS)[number];

export interface FairfaceItem {
  file: string;
  path: string;
  bin: AgeBin;
  gender: string;
  /** Bin bounds in years: [lo, hi) with hi = upper label + 1 (70+ is open: hi = Infinity). */
  lo: number;
  hi: number;
  /** 'fit' (the calibration's training half) or 'test' (held out). */
  split: 'fit' | 'test';
}

export const FAIRFACE_DIR = join(FACES_DIR, 'fairface');

/**
 * Reads labels.csv. The split is stratified and fixed: within each bin × gender, files sorted by name
 * alternate fit, test, fit, … (11 per stratum: 6 fit, 5 test).
 */
export async function readFairface(): Promise<FairfaceItem[]> {
  const lines = (await readFile(join(FAIRFACE_DIR, 'labels.csv'), 'utf8')).trim().split(/\r?\n/).slice(1);
  const rows = lines
    .map((l) => l.split(',').map((s) => s.trim()))
    .map(([file, bin, gender]) => ({ file: file!, bin: bin as AgeBin, gender: gender! }))
    .sort((a, b) => a.file.localeCompare(b.file));
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const key = `${r.bin}/${r.gender}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const [lo, hi] = binBounds(r.bin);
    return { ...r, path: join(FAIRFACE_DIR, r.file), lo, hi, split: k % 2 === 0 ? 'fit' : 'test' };
  });
}

export function binBounds(bin: AgeBin): [number, number] {
  if (bin === '70+') return [70, Number.POSITIVE_INFINITY];
  const [a, b] = bin.split('-').map(Number) as [number, number];
  return [a, b + 1];
}

/** Distance in years from an age to its bin [lo, hi): 0 inside. */
export function binDistance(age: number, item: { lo: number; hi: number }): number {
  return age < item.lo ? item.lo - age : age >= item.hi ? age - item.hi : 0;
}

/** Signed distance in years from an age to its bin: negative below it, positive above, 0 inside. */
export function signedBinDistance(age: number, item: { lo: number; hi: number }): number {
  return age < item.lo ? age - item.lo : binDistance(age, item);
}

/** Ages 20-69, where the target (MAE to the bin ≤ 4 years) applies. */
export function isAdultBin(bin: AgeBin): boolean {
  return ['20-29', '30-39', '40-49', '50-59', '60-69'].includes(bin);
}
