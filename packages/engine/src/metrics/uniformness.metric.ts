import { areaIndex, assessableAreas, indicesOf, keepWhere, medianAt, round3 } from '../colour/area-stats.ts';
import { ANCHORS, scoreLowerIsBetter, UNIFORMNESS_NORMS } from '../colour/calibration.ts';
import { type ColourEven, colourEvenInput } from '../colour/colour-even.input.ts';
import { colourMapsInput } from '../colour/colour-maps.input.ts';
import { heatmapFeatures } from '../colour/heatmap.ts';
import type { AreaName } from '../geometry/areas.ts';
import { type AreaResult, scoreValue } from '../result/result-shape.ts';
import type { MetricContext, MetricModule } from './metric.ts';

/**
 * `uniformness` (skin-metrics-methods.md §8): evenness of skin colour after shading is removed.
 *
 * Maps are first smoothed to EVEN_SCALE_MM (colour-even.input.ts; pores and noise out, blotches in).
 * Per pixel of an area's skin: the band-pass deviation of L* from colour-detail (about 1-12 mm:
 * noise and low-frequency shading removed) and the deviations of the smoothed melanin and
 * haemoglobin densities from their median over the area (Tsumura's separation already removes
 * shading, so pigment blotches of any size count), each divided by its population norm
 * (UNIFORMNESS_NORMS, face mean deviation over the calibration faces) and averaged:
 * u = (|ΔL*|/nL + |Δmel|/nM + |Δhb|/nH) / 3, each term capped at 6 (stray non-skin).
 * Raw per area = mean u over the area's skin at least INTERIOR_MM inside (≈ 1 for a typical face);
 * `face` = the same mean over the pixels of all assessed areas, each against its own area's medians
 * (so the face score is the skin-weighted mean of the areas: the large-scale colour differences
 * between forehead, cheeks and chin, which follow the light's direction and colour as much as the
 * skin, do not count; within-area blotches do). Score =
 * scoreLowerIsBetter(raw, ANCHORS.uniformness): population 5th/50th/95th percentile → 95/80/50,
 * monotonic; 100 is perfectly even.
 * Mask: heatmap of the regions where the larger normalised pigment deviation (melanin or
 * haemoglobin) exceeds 2 (intensity = its region mean / 6).
 */
const AREAS: readonly AreaName[] = ['face', 'forehead', 'left_cheek', 'right_cheek', 'chin'];
const CAP = 6;
const HEAT_THRESHOLD = 2;

export const uniformnessMetric: MetricModule = {
  techName: 'uniformness',
  familyTechName: 'selfie_v2.uniformness',
  version: '1.0.0',
  name: 'Uniformness',
  description: 'Evenness of lightness, melanin and haemoglobin after shading correction.',
  needs: ['colour', 'colour-detail', 'colour-even'],
  areas: AREAS,
  outputs: { main: 'uniformness_score', sub: [], maskType: 'heatmap_mask' },
  minPxPerMm: 0,
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const even = ctx.input(colourEvenInput);
    const { ok, notAssessable } = assessableAreas(ctx, AREAS);
    const area_results: AreaResult[] = [];
    const raws: Record<string, number> = {};
    const heat = new Float32Array(maps.skin.length);
    const byArea = unevennessByArea(ctx, even, ok);
    for (const [area, { idx, mean }] of byArea) {
      markHeat(even, idx, heat);
      raws[area] = round3(mean);
    }
    const pooled = pooledUnevenness(byArea);
    if (Number.isFinite(pooled)) raws.face = round3(pooled);
    for (const area of AREAS) {
      const raw = raws[area];
      if (raw === undefined) continue;
      area_results.push({
        area_name: area,
        main_metric: scoreValue(
          'uniformness_score',
          'Uniformness Score',
          scoreLowerIsBetter(raw, ANCHORS.uniformness),
        ),
        sub_metrics: [],
      });
    }
    const features = heatmapFeatures(heat, maps.width, maps.height, ctx.frame, ctx.face.pxPerMm, {
      minAreaMm2: 8,
      fullScale: CAP,
      maxRegions: 60,
    });
    return {
      area_results,
      masks: { mask_type: 'heatmap_mask', features },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: { areas: raws, norms: faceNorms(even, indicesOf(even.interior)) },
    };
  },
};

/** Mean normalised unevenness of each area's interior skin (areas with fewer than 30 pixels left out). */
export function unevennessByArea(
  ctx: MetricContext,
  even: ColourEven,
  areas: readonly AreaName[],
): Map<AreaName, { idx: Int32Array; mean: number }> {
  const out = new Map<AreaName, { idx: Int32Array; mean: number }>();
  for (const area of areas) {
    if (area === 'face') continue;
    const idx = keepWhere(areaIndex(ctx, area), even.interior);
    if (idx.length < 30) continue;
    const u = unevenness(even, idx);
    let s = 0;
    for (let k = 0; k < u.length; k++) s += u[k]!;
    out.set(area, { idx, mean: s / idx.length });
  }
  return out;
}

/** Pixel-weighted mean of the areas' unevenness (the face value); NaN when no area is left. */
export function pooledUnevenness(byArea: Map<AreaName, { idx: Int32Array; mean: number }>): number {
  let sum = 0;
  let count = 0;
  for (const { idx, mean } of byArea.values()) {
    sum += mean * idx.length;
    count += idx.length;
  }
  return count ? sum / count : Number.NaN;
}

/**
 * Normalised unevenness u at each of the given pixels (same order): smoothed band-pass |ΔL*| and
 * the deviation of the smoothed melanin and haemoglobin from their median over those pixels.
 */
export function unevenness(even: ColourEven, idx: Int32Array): Float32Array {
  const refM = medianAt(even.melanin, idx);
  const refH = medianAt(even.haemoglobin, idx);
  const nL = 1 / UNIFORMNESS_NORMS.L;
  const nM = 1 / UNIFORMNESS_NORMS.melanin;
  const nH = 1 / UNIFORMNESS_NORMS.haemoglobin;
  const u = new Float32Array(idx.length);
  const { L, melanin, haemoglobin } = even;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    u[k] =
      (Math.min(CAP, Math.abs(L[i]!) * nL) +
        Math.min(CAP, Math.abs(melanin[i]! - refM) * nM) +
        Math.min(CAP, Math.abs(haemoglobin[i]! - refH) * nH)) /
      3;
  }
  return u;
}

/**
 * Heatmap values: at each pixel the larger of the normalised melanin and haemoglobin deviations,
 * kept where it exceeds HEAT_THRESHOLD (blotches are pigment; band-pass L* also follows creases
 * and the nose's relief, so it counts in the score but does not draw the map).
 */
function markHeat(even: ColourEven, idx: Int32Array, heat: Float32Array): void {
  const refM = medianAt(even.melanin, idx);
  const refH = medianAt(even.haemoglobin, idx);
  const { melanin, haemoglobin } = even;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const v = Math.max(
      Math.abs(melanin[i]! - refM) / UNIFORMNESS_NORMS.melanin,
      Math.abs(haemoglobin[i]! - refH) / UNIFORMNESS_NORMS.haemoglobin,
    );
    if (v > HEAT_THRESHOLD) heat[i] = Math.min(CAP, v);
  }
}

/** Face-skin mean deviations of L* (band-pass), melanin and haemoglobin (what UNIFORMNESS_NORMS normalises). */
function faceNorms(even: ColourEven, idx: Int32Array): { L: number; melanin: number; haemoglobin: number } {
  const refM = medianAt(even.melanin, idx);
  const refH = medianAt(even.haemoglobin, idx);
  let l = 0;
  let m = 0;
  let h = 0;
  const { L, melanin, haemoglobin } = even;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    l += Math.abs(L[i]!);
    m += Math.abs(melanin[i]! - refM);
    h += Math.abs(haemoglobin[i]! - refH);
  }
  const r = (v: number) => Math.round((v / Math.max(1, idx.length)) * 10000) / 10000;
  return { L: r(l), melanin: r(m), haemoglobin: r(h) };
}
