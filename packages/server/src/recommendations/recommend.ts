import { readFileSync } from 'node:fs';
import { areaResults } from '../history/main-metric.ts';
import type { AlgorithmResultRecord } from '../ports/store.ts';

/** A test on one metric of one algorithm: true when any listed area's value is below/above the bound. */
export interface MetricTest {
  algorithm: string;
  /** `main` (default) or a sub-metric tech name. */
  metric?: string;
  /** Areas whose values are tested; default `['face']`. */
  areas?: string[];
  below?: number;
  above?: number;
}

export type Rule = MetricTest | { all: Rule[] } | { any: Rule[] };

export interface Concern {
  tag: string;
  name: string;
  rule: Rule;
  care_group: 'basic_care' | 'eye_care' | 'additional_care';
  products: string[];
}

/** The concern table (`concerns.json`): thresholds and product categories as data. */
export interface ConcernTable {
  basic_care: string[];
  concerns: Concern[];
}

/** What the recommendation step answers for one image. */
export interface Recommendations {
  /** Tags of the concerns found, in the table's order. */
  concern_tags: string[];
  concerns: { tag: string; name: string; care_group: string; products: string[] }[];
  /** Product categories per care group, each once. */
  care_group: { basic_care: string[]; eye_care: string[]; additional_care: string[] };
  /** Every recommended product category, each once. */
  products: string[];
}

function checkRule(rule: unknown, where: string): void {
  const r = rule as Record<string, unknown>;
  if (Array.isArray(r.all) || Array.isArray(r.any)) {
    for (const [i, child] of ((r.all ?? r.any) as unknown[]).entries()) checkRule(child, `${where}[${i}]`);
    return;
  }
  const bound = typeof r.below === 'number' || typeof r.above === 'number';
  if (typeof r.algorithm !== 'string' || !bound) {
    throw new Error(`concern table: ${where} needs an algorithm and a numeric below or above`);
  }
}

/** Reads and checks a concern table (throws naming the bad entry). */
export function parseConcernTable(text: string): ConcernTable {
  const table = JSON.parse(text) as ConcernTable;
  if (!Array.isArray(table.basic_care) || !Array.isArray(table.concerns)) {
    throw new Error('concern table: needs basic_care and concerns arrays');
  }
  for (const c of table.concerns) {
    if (typeof c.tag !== 'string' || !Array.isArray(c.products))
      throw new Error(`concern table: bad entry ${c.tag}`);
    checkRule(c.rule, c.tag);
  }
  return table;
}

/** The table shipped with the server (`recommendations/concerns.json`). */
export function loadConcernTable(): ConcernTable {
  return parseConcernTable(readFileSync(new URL('./concerns.json', import.meta.url), 'utf8'));
}

function values(test: MetricTest, results: readonly AlgorithmResultRecord[]): number[] {
  const result = results.find((r) => r.algorithmTechName === test.algorithm && r.isOk);
  if (!result) return [];
  const areas = test.areas ?? ['face'];
  const out: number[] = [];
  for (const area of areaResults(result)) {
    if (typeof area.area_name !== 'string' || !areas.includes(area.area_name)) continue;
    const value =
      (test.metric ?? 'main') === 'main'
        ? area.main_metric?.value
        : area.sub_metrics?.find((m) => m.tech_name === test.metric)?.value;
    if (typeof value === 'number' && Number.isFinite(value)) out.push(value);
  }
  return out;
}

/** A rule over an image's results; a metric that was not computed never triggers a concern. */
export function holds(rule: Rule, results: readonly AlgorithmResultRecord[]): boolean {
  if ('all' in rule) return rule.all.every((r) => holds(r, results));
  if ('any' in rule) return rule.any.some((r) => holds(r, results));
  return values(rule, results).some(
    (v) => (rule.below === undefined || v < rule.below) && (rule.above === undefined || v > rule.above),
  );
}

/** Concern tags and product categories for one image's results. */
export function recommend(table: ConcernTable, results: readonly AlgorithmResultRecord[]): Recommendations {
  const found = table.concerns.filter((c) => holds(c.rule, results));
  const care_group = {
    basic_care: [...table.basic_care],
    eye_care: [] as string[],
    additional_care: [] as string[],
  };
  for (const c of found) {
    const group = care_group[c.care_group];
    for (const p of c.products) if (!group.includes(p)) group.push(p);
  }
  return {
    concern_tags: found.map((c) => c.tag),
    concerns: found.map((c) => ({
      tag: c.tag,
      name: c.name,
      care_group: c.care_group,
      products: [...c.products],
    })),
    care_group,
    products: [...new Set([...care_group.basic_care, ...care_group.eye_care, ...care_group.additional_care])],
  };
}
