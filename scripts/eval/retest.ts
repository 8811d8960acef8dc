/**
 * Test-retest on ../shared/faces/portraits: one photo at several sizes (obama*), and two people with
 * eight same-session photos each. Per metric: mean absolute change from the group mean, and the
 * spread (within-group SD), both averaged over the groups.
 */
import { readFile } from 'node:fs/promises';
import type { Analysis, EnginePool } from '../../packages/engine/src/index.ts';
import { portraitPath } from '../../packages/engine/src/testing/faces.ts';
import { analyzeAll } from './pool.ts';
import { headlineKeys, type MetricKey, mean, numericValues, sd } from './values.ts';

export const RETEST_GROUPS: Record<string, string[]> = {
  'obama, 6 sizes': [
    'ageitgey__examples_obama-240p.jpg',
    'ageitgey__examples_obama-480p.jpg',
    'ageitgey__examples_obama-720p.jpg',
    'ageitgey__examples_obama-1080p.jpg',
    'ageitgey__examples_obama_small.jpg',
    'ageitgey__examples_obama.jpg',
  ],
  'session a, 8 photos': [1, 2, 3, 4, 5, 6, 7, 8].map(
    (i) => `vladmandic__samples_in_stock-emotions-a-${i}.jpg`,
  ),
  'session b, 8 photos': [1, 2, 3, 4, 5, 6, 7, 8].map(
    (i) => `vladmandic__samples_in_stock-emotions-b-${i}.jpg`,
  ),
};

export interface StabilityRow {
  metric: MetricKey;
  /** Mean absolute change (from the group mean here; from the original photo in the perturbations). */
  mean_abs_change: number;
  /** Within-group SD (retest) or ICC(2,1) (perturbations). */
  spread?: number;
  icc?: number;
  /** Groups (retest) or photos (perturbations) the metric had values for. */
  n: number;
}

export interface RetestSection {
  groups: Record<string, string[]>;
  headline: MetricKey[];
  rows: StabilityRow[];
}

export async function evalRetest(pool: EnginePool): Promise<RetestSection> {
  const per = new Map<MetricKey, { abs: number[]; sds: number[] }>();
  const analysesAll: Analysis[] = [];
  for (const files of Object.values(RETEST_GROUPS)) {
    const analyses = (
      await analyzeAll(pool, await Promise.all(files.map((f) => readFile(portraitPath(f)))))
    ).filter((a): a is Analysis => a !== null);
    analysesAll.push(...analyses);
    const values = analyses.map(numericValues);
    const keys = new Set(values.flatMap((v) => [...v.keys()]));
    for (const key of keys) {
      const xs = values.map((v) => v.get(key)).filter((x): x is number => x !== undefined);
      if (xs.length < 2) continue;
      const m = mean(xs);
      const entry = per.get(key) ?? { abs: [], sds: [] };
      entry.abs.push(mean(xs.map((x) => Math.abs(x - m))));
      entry.sds.push(sd(xs));
      per.set(key, entry);
    }
  }
  const rows = [...per.entries()].map(([metric, e]) => ({
    metric,
    mean_abs_change: mean(e.abs),
    spread: mean(e.sds),
    n: e.abs.length,
  }));
  return { groups: RETEST_GROUPS, headline: headlineKeys(per.keys(), analysesAll), rows };
}
