import { scoreClass } from '@skinscope/engine';
import type { AlgorithmResultRecord } from '../ports/store.ts';
import { V3_PARAMETERS, type V3Parameter } from './v3.names.ts';

interface MetricLike {
  value?: unknown;
  tech_name?: string;
  widget_meta?: Record<string, unknown> | null;
}
interface AreaLike {
  area_name: string;
  main_metric?: MetricLike;
  sub_metrics?: MetricLike[];
}
interface PayloadLike {
  area_results?: AreaLike[];
  not_assessable_areas?: { area_name: string; reason: string }[];
  error?: string;
}

/** One area's value of a v3 parameter. */
export interface V3AreaValue {
  score: number;
  tag: string;
  amount?: number;
}

/** `face_skin_metrics_3.parameters.<name>` before its mask links are added. */
export interface V3ParameterValue {
  score: number;
  tag: string;
  score_description: string;
  areas: Record<string, V3AreaValue>;
  amount?: number;
  [alias: string]: unknown;
}

export interface V3Values {
  parameters: Record<string, V3ParameterValue>;
  /** Parameters whose algorithm ran but could not measure them, with the reason. */
  notAssessable: Record<string, string>;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

function metricOf(area: AreaLike, tech: string): MetricLike | undefined {
  if (area.main_metric?.tech_name === tech) return area.main_metric;
  return area.sub_metrics?.find((m) => m.tech_name === tech);
}

/** The number and tag of one metric value, or a reason it has none. */
function areaValue(
  p: V3Parameter,
  metric: MetricLike | undefined,
  area: AreaLike,
): V3AreaValue | { reason: string } {
  const raw = metric?.value;
  const reason = metric?.widget_meta?.reason;
  if (raw === null || raw === undefined)
    return { reason: typeof reason === 'string' ? reason : `${p.metric} not measured` };
  if (p.kind === 'class') {
    const index = p.classes?.findIndex((c) => c.toLowerCase() === String(raw).toLowerCase()) ?? -1;
    if (index < 0) return { reason: `unknown ${p.metric} "${String(raw)}"` };
    return { score: index + 1, tag: p.classes![index]! };
  }
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return { reason: `${p.metric} is not a number` };
  switch (p.kind) {
    case 'score':
      return { score: raw, tag: scoreClass(raw) };
    case 'years':
      return { score: raw, tag: `${Math.round(raw)} years` };
    case 'grade':
      return { score: raw, tag: `Grade ${raw}` };
    case 'count':
      return { score: raw, tag: `${raw} ${p.unit ?? ''}`.trim(), amount: raw };
    case 'density':
      return { score: round2(raw), tag: `${round2(raw)} mm/cm²` };
    case 'degrees': {
      const cls = area.main_metric?.value;
      return { score: raw, tag: typeof cls === 'string' ? cls : `${raw}°` };
    }
  }
}

function describe(p: V3Parameter, v: V3AreaValue): string {
  return p.kind === 'score' ? `${v.tag}: ${p.description}, ${v.score} of 100` : `${v.tag}: ${p.description}`;
}

/**
 * The v3 parameters of one image from its v1 results, through the name table (`v3.names.ts`). A
 * parameter whose algorithm did not run is absent; one that could not be measured is absent from
 * `parameters` and listed in `notAssessable` with the reason (never a stand-in number).
 */
export function v3Values(results: readonly AlgorithmResultRecord[]): V3Values {
  const byAlgorithm = new Map(results.map((r) => [r.algorithmTechName, r]));
  const parameters: Record<string, V3ParameterValue> = {};
  const notAssessable: Record<string, string> = {};
  for (const p of V3_PARAMETERS) {
    const result = byAlgorithm.get(p.algorithm);
    if (!result) continue;
    const payload = (result.result ?? {}) as PayloadLike;
    if (!result.isOk) {
      notAssessable[p.name] = payload.error ?? 'not computed';
      continue;
    }
    const areas = payload.area_results ?? [];
    const face = areas.find((a) => a.area_name === 'face') ?? areas[0];
    const main = face ? areaValue(p, metricOf(face, p.metric), face) : { reason: 'no face area' };
    if ('reason' in main) {
      const gate = payload.not_assessable_areas?.find((a) => a.area_name === 'face')?.reason;
      notAssessable[p.name] = gate ?? main.reason;
      continue;
    }
    const perArea: Record<string, V3AreaValue> = {};
    for (const area of areas) {
      const v = areaValue(p, metricOf(area, p.metric), area);
      if (!('reason' in v)) perArea[area.area_name] = v;
    }
    parameters[p.name] = {
      score: main.score,
      tag: main.tag,
      score_description: describe(p, main),
      areas: perArea,
      ...(main.amount !== undefined ? { amount: main.amount } : {}),
      ...(p.alias ? { [p.alias]: p.kind === 'class' ? main.tag : main.score } : {}),
    };
  }
  return { parameters, notAssessable };
}

/** `predicted_labels`: the headline values clients show (perceived age, eye age, skin type and tone, ITA). */
export function v3Labels(parameters: Record<string, V3ParameterValue>): Record<string, string | number> {
  const labels: Record<string, string | number> = {};
  if (parameters.age) labels.perceived_age = parameters.age.score;
  if (parameters.eyes_age) labels.eyes_age = parameters.eyes_age.score;
  if (parameters.skin_type) labels.skin_type = parameters.skin_type.tag;
  if (parameters.skintone) labels.skintone = parameters.skintone.tag;
  if (parameters.ita) labels.ita = parameters.ita.score;
  return labels;
}
