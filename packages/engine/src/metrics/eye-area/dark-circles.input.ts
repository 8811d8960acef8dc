import { areaIndex } from '../../colour/area-stats.ts';
import { ANCHORS, scoreLowerIsBetter } from '../../colour/calibration.ts';
import { colourDetailInput } from '../../colour/colour-detail.input.ts';
import { type ColourMaps, colourMapsInput } from '../../colour/colour-maps.input.ts';
import { heatmapFeatures } from '../../colour/heatmap.ts';
import type { InputProvider, MetricContext } from '../../framework/metric.ts';
import { quantileOf } from '../../image/filters.ts';
import { frameFloat32 } from '../../image/frame-buffers.ts';
import { keepBetween, keepWhere, medianAt, sampleAt } from '../../image/pixel-stats.ts';
import { metricValue, round, scoreValue } from '../../result/result-shape.ts';
import { EYE_SIDES, type EyeAreaPart, type EyeSide, partForSides } from './eye-area-part.ts';

/**
 * Dark circles, the colour part of `eye_area_condition` (skin-metrics-methods.md §9).
 *
 * For each under-eye area (the `*_eye_area` polygon's skin) against the same-side cheek's skin
 * (the cheek polygon minus the eye area): robust medians (10-90% of L*) of L*, a*, b*,
 * melanin and haemoglobin, and their differences ΔX = eye − cheek.
 * Raw severity = √(min(ΔL*, 0)² + Δa*² + Δb*²): ΔE*ab, with lightness counted only when the
 * under-eye is darker (ΔL* and ΔE are the parameters most correlated with graded severity,
 * Matsui 2015; ΔE r = 0.99 with a photonumeric scale, PMC7898348).
 * `dark_circles_score` = scoreLowerIsBetter(raw, ANCHORS.darkCircles): population 5th/50th/95th
 * percentile → 95/80/50, monotonic; 100 = no dark circle.
 * Type ([E] rules of §9, with the pigment maps doing the work of the a* and b* cues there, since the
 * under-eye is bluer than the cheek on most faces): pigmented (ΔL* < −2 and Δmelanin > 0.03),
 * vascular (Δhaemoglobin > 0.03, Δa* > 1.5 or Δb* < −3), both → mixed, neither but darker →
 * shadow; `none` when raw is under the population 5th percentile. Polygon: regions of the under-eye whose smoothed
 * L* is more than 3 below the cheek's.
 */
export const DARK_CIRCLE_TYPES = ['none', 'pigmented', 'vascular', 'shadow', 'mixed'] as const;
export type DarkCircleType = (typeof DARK_CIRCLE_TYPES)[number];

const SIDES: readonly { eye: EyeSide; cheek: 'left_cheek' | 'right_cheek' }[] = [
  { eye: 'left_eye_area', cheek: 'left_cheek' },
  { eye: 'right_eye_area', cheek: 'right_cheek' },
];

interface Stats {
  L: number;
  a: number;
  b: number;
  melanin: number;
  haemoglobin: number;
}

/** Dark circles of both eyes, measured once per image (eye_area_condition and eye_age read them). */
export const darkCirclesInput: InputProvider<EyeAreaPart> = {
  id: 'dark-circles',
  needs: ['colour', 'colour-detail'],
  compute: measureDarkCircles,
};

/** The dark-circle part of the given sides (all by default). */
export function darkCirclesPart(ctx: MetricContext, eyes: readonly EyeSide[] = EYE_SIDES): EyeAreaPart {
  return partForSides(ctx.input(darkCirclesInput), eyes);
}

function measureDarkCircles(ctx: MetricContext): EyeAreaPart {
  const maps = ctx.input(colourMapsInput);
  const detail = ctx.input(colourDetailInput);
  const part: EyeAreaPart = { name: 'dark_circles', sides: {}, features: [], raw: {} };
  for (const { eye, cheek } of SIDES) {
    const eyeIdx = areaIndex(ctx, eye);
    const eyePoly = ctx.frame.areaMask(eye).data;
    const cheekIdx = keepWhere(areaIndex(ctx, cheek), eyePoly, 0);
    if (eyeIdx.length < 30 || cheekIdx.length < 30) continue;
    const e = statsOf(maps, eyeIdx);
    const c = statsOf(maps, cheekIdx);
    const dL = e.L - c.L;
    const da = e.a - c.a;
    const db = e.b - c.b;
    const dMel = e.melanin - c.melanin;
    const dHb = e.haemoglobin - c.haemoglobin;
    const raw = Math.sqrt(Math.min(dL, 0) ** 2 + da * da + db * db);
    const type = classify(raw, dL, da, db, dMel, dHb);
    const score = scoreLowerIsBetter(raw, ANCHORS.darkCircles);
    part.sides[eye] = {
      score,
      subMetrics: [
        scoreValue('dark_circles_score', 'Dark Circles', score),
        metricValue('dark_circle_type', 'Dark Circle Type', type, 'text'),
      ],
    };
    part.raw[eye] = {
      raw: round(raw, 3),
      delta_l: round(dL, 1),
      delta_a: round(da, 1),
      delta_b: round(db, 1),
      delta_melanin: round(dMel, 3),
      delta_haemoglobin: round(dHb, 3),
      type,
      ailab_dark_circle: ailabCode(type, dMel, da, db),
    };
    const amount = frameFloat32(maps.skin.length);
    shortfallAt(amount, detail.fine.L, eyeIdx, c.L - 3);
    part.features.push(
      ...heatmapFeatures(amount, maps.width, maps.height, ctx.frame, ctx.face.pxPerMm, {
        minAreaMm2: 2,
        fullScale: 15,
        maxRegions: 3,
      }).map((f) => ({ ...f, properties: { ...f.properties, area: eye, kind: 'dark_circle', type } })),
    );
  }
  return part;
}

function statsOf(maps: ColourMaps, idx: Int32Array): Stats {
  const Ls = sampleAt(maps.L, idx);
  const lo = quantileOf(Ls, 0.1);
  const hi = quantileOf(Ls, 0.9);
  const keep = keepBetween(idx, maps.L, lo, hi);
  return {
    L: medianAt(maps.L, keep),
    a: medianAt(maps.a, keep),
    b: medianAt(maps.b, keep),
    melanin: medianAt(maps.melanin, keep),
    haemoglobin: medianAt(maps.haemoglobin, keep),
  };
}

function classify(
  raw: number,
  dL: number,
  da: number,
  db: number,
  dMel: number,
  dHb: number,
): DarkCircleType {
  if (raw < ANCHORS.darkCircles.good) return 'none';
  const pigmented = dL < -2 && dMel > 0.03;
  const vascular = dHb > 0.03 || da > 1.5 || db < -3;
  if (pigmented && vascular) return 'mixed';
  if (pigmented) return 'pigmented';
  if (vascular) return 'vascular';
  return dL < -2 ? 'shadow' : 'none';
}

/** AILab `dark_circle.value`: 0 none, 1 pigmented, 2 vascular, 3 shadow (mixed → the stronger cue). */
function ailabCode(type: DarkCircleType, dMel: number, da: number, db: number): number {
  if (type === 'none') return 0;
  if (type === 'pigmented') return 1;
  if (type === 'vascular') return 2;
  if (type === 'shadow') return 3;
  return dMel / 0.05 >= Math.max(da, -db) / 3 ? 1 : 2;
}

/** Writes `limit − map` into `out` at the pixels of `idx` where `map` is below `limit`. */
function shortfallAt(out: Float32Array, map: Float32Array, idx: Int32Array, limit: number): void {
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (map[i]! < limit) out[i] = limit - map[i]!;
  }
}
