import { type ColourMaps, colourMapsInput } from '../../colour/colour-maps.input.ts';
import type { MetricContext, MetricModule } from '../../framework/metric.ts';
import { type AreaName, MAX_OCCLUDED } from '../../geometry/areas.ts';
import {
  type AreaResult,
  type MaskFeature,
  numberValue,
  round,
  scoreValue,
} from '../../result/result-shape.ts';
import { cropArea } from '../../texture/area-crop.ts';
import { darkBlobs } from '../../texture/blob-detector.ts';
import { deltaA } from '../pores/pores.metric.ts';
import { ACNE_AREAS, ACNE_KEEP_LOGIT, ACNE_WEIGHTS, detectLesions, type Lesion } from './acne-detect.ts';

/**
 * `acne` (family `selfie_v2.acne`): inflamed lesions (papules/pustules) from local redness excess on
 * the colour pipeline's white-balanced a* over all of the face's skin (acne-detect.ts;
 * skin-metrics-methods.md §3). The `face` area counts every lesion; each of the five areas counts
 * the lesions inside it.
 *
 * Scores (lesion counts are over the whole face; Hayashi's bands count half a face):
 * - `acne_score` = 100 / (1 + (n / 12)^1.3), n = lesions on the face (or the area), each counted by
 *   its lesion score (acne-detect.ts, 0 at the detection floor): min(1, score / ACNE_FULL_SCORE), so
 *   a lesion at the floor counts nothing and one ACNE_FULL_SCORE above it (4 Δa* units of surround
 *   redness) counts one (faint candidates come and go with JPEG chroma subsampling and relighting,
 *   so the score does not jump when one crosses the floor). n = 12 (Hayashi "moderate" on one half)
 *   scores 50; 0 scores 100.
 * - `number_of_regions`: the candidates detected (uncounted by redness). `density_score`: lesion area as % of the skin area ×10 (0-100, clamped).
 * - `average_intensity_score`: mean Δa* of the lesions ×5 (Δa* 20 → 100; Δa* as the detector
 *   measures it, on skin at ACNE_REFERENCE_L: acne-detect.ts lightnessGain), 0 without lesions.
 *   Both are amounts (more = worse), plain numbers as in `pigmentation`, not bad-good scores. An area
 *   with no assessed skin reports null values with the reason, not zeros.
 * Polygon mask: a 12-gon per lesion. raw.ailab: `acne` and `closed_comedones` rectangles in
 * original-image pixels with confidences (the lesion's odds, sigmoid(score + ACNE_KEEP_LOGIT), at
 * most 0.95; closed comedones = the small (radius < 1.5 mm), weakly scored (under
 * ACNE_FULL_SCORE / 2) lesions; a 2-D colour photo shows them poorly, confidences stay ≤ 0.5), and
 * `blackhead`
 * severity 0-3 (small, very dark, not red blobs on nose and chin; null below 8 px/mm).
 * Resolution gate 1.2 px/mm (a 2 mm papule is then ≥ 2.4 px across).
 */
export const ACNE_MIN_PX_PER_MM = 1.2;
export const ACNE_N50 = 12;
export const ACNE_P = 1.3;

/** Lesion score at and above which a lesion counts as one whole lesion in the acne score (4 Δa* units above the floor). */
export const ACNE_FULL_SCORE = 4 * ACNE_WEIGHTS.surroundDeltaA;

export function acneScoreOf(n: number): number {
  return 100 / (1 + (n / ACNE_N50) ** ACNE_P);
}

/** The lesion count the acne score uses: each lesion weighted by its score above the detection floor. */
export function weightedLesionCount(lesions: readonly Lesion[]): number {
  let n = 0;
  for (const l of lesions) n += Math.min(1, Math.max(0, l.score / ACNE_FULL_SCORE));
  return n;
}

/** Blackhead detection: radius 0.1-0.5 mm, ≥ 10 L* darker than the surround, Δa* < 2 (§6). */
export const BLACKHEAD_MIN_PX_PER_MM = 8;
const BLACKHEAD_SIGMAS_MM = [0.07, 0.1, 0.15, 0.22, 0.33];

function blackheadSeverity(ctx: MetricContext): {
  value: number | null;
  /** null: nothing measures how sure the severity is. */
  confidence: null;
  perCm2?: number;
} {
  const ppm = ctx.face.pxPerMm;
  if (ppm < BLACKHEAD_MIN_PX_PER_MM) return { value: null, confidence: null };
  let count = 0;
  let cm2 = 0;
  for (const area of ['nose', 'chin'] as AreaName[]) {
    const sigmas = BLACKHEAD_SIGMAS_MM.map((s) => s * ppm).filter((s) => s >= 0.8);
    const crop = cropArea(ctx.frame, area, 3 * Math.max(...sigmas), 0.5 * ppm, false);
    if (!crop || crop.occludedFraction > MAX_OCCLUDED) continue;
    const blobs = darkBlobs(crop.lightness, {
      sigmasPx: sigmas,
      minResponse: 5,
      minCircularity: 0.5,
      minContrast: 10,
      backgroundPx: ppm,
      mask: crop.mask.data,
      dropLargestScale: true,
    });
    count += blobs.filter((b) => Math.abs(deltaA(ctx.frame, b, crop.x0, crop.y0)) < 2).length;
    cm2 += crop.skinPixels / (ppm * ppm) / 100;
  }
  if (cm2 <= 0) return { value: null, confidence: null };
  const perCm2 = count / cm2;
  const value = perCm2 < 1 ? 0 : perCm2 < 4 ? 1 : perCm2 < 10 ? 2 : 3;
  return { value, confidence: null, perCm2: round(perCm2, 2) };
}

function circle(l: Lesion): [number, number][][] {
  const ring: [number, number][] = [];
  for (let k = 0; k <= 12; k++) {
    const t = (2 * Math.PI * (k % 12)) / 12;
    ring.push([l.x + l.radiusPx * Math.cos(t), l.y + l.radiusPx * Math.sin(t)]);
  }
  return [ring];
}

export const acneMetric: MetricModule = {
  techName: 'acne',
  familyTechName: 'selfie_v2.acne',
  version: '1.3.0',
  name: 'Acne',
  description: 'Inflamed acne lesions from local redness excess: count, density, intensity, score.',
  needs: ['colour'],
  areas: ['face', ...ACNE_AREAS],
  outputs: {
    main: 'acne_score',
    sub: ['number_of_regions', 'density_score', 'average_intensity_score'],
    maskType: 'polygon_mask',
  },
  minPxPerMm: ACNE_MIN_PX_PER_MM,
  compute(ctx) {
    const colour: ColourMaps = ctx.input(colourMapsInput);
    const ppm = ctx.face.pxPerMm;
    const assessed = ACNE_AREAS.filter((a) => colour.areaOccluded(a) <= MAX_OCCLUDED);
    const all = assessed.length ? detectLesions(ctx, colour) : [];
    const byArea = assessed.map((area) => ({
      area,
      lesions: all.filter((l) => l.area === area),
      skinPx: colour.areaIndex(area).length,
    }));
    const result = (name: string, lesions: Lesion[], skinPx: number): AreaResult => {
      const lesionPx = lesions.reduce((s, l) => s + Math.PI * l.radiusPx ** 2, 0);
      const intensity = lesions.length ? lesions.reduce((s, l) => s + l.deltaA, 0) / lesions.length : 0;
      const of = (v: number) => (skinPx ? v : null);
      const amount = { digits: 0, reason: 'occluded' } as const;
      return {
        area_name: name,
        main_metric: scoreValue(
          'acne_score',
          'Acne Score',
          of(acneScoreOf(weightedLesionCount(lesions))),
          'occluded',
        ),
        sub_metrics: [
          numberValue('number_of_regions', 'Number of Lesions', of(lesions.length), amount),
          numberValue('density_score', 'Density', of(Math.min(100, (1000 * lesionPx) / skinPx)), amount),
          numberValue(
            'average_intensity_score',
            'Average Intensity',
            of(Math.min(100, 5 * intensity)),
            amount,
          ),
        ],
      };
    };
    const skinPx = assessed.length ? colour.skinIndex.length : 0;
    const features: MaskFeature[] = all.map((l) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: circle(l) },
      properties: {
        area_name: l.area,
        delta_a: round(l.deltaA, 2),
        diameter_mm: round((2 * l.radiusPx) / ppm, 2),
      },
    }));
    const k = ctx.image.toOriginal;
    const rect = (l: Lesion) => ({
      left: Math.round((l.x - l.radiusPx) * k),
      top: Math.round((l.y - l.radiusPx) * k),
      width: Math.round(2 * l.radiusPx * k),
      height: Math.round(2 * l.radiusPx * k),
    });
    const conf = (l: Lesion) => round(Math.min(0.95, 1 / (1 + Math.exp(-(l.score + ACNE_KEEP_LOGIT)))), 2);
    const comedones = all.filter((l) => l.radiusPx / ppm < 1.5 && l.score < ACNE_FULL_SCORE / 2);
    const inflamed = all.filter((l) => !comedones.includes(l));
    return {
      area_results: [result('face', all, skinPx), ...byArea.map((a) => result(a.area, a.lesions, a.skinPx))],
      masks: { mask_type: 'polygon_mask', features },
      not_assessable_areas: ACNE_AREAS.filter((a) => !assessed.includes(a)).map((a) => ({
        area_name: a,
        reason: 'occluded' as const,
      })),
      raw: {
        ailab: {
          acne: { rectangle: inflamed.map(rect), confidence: inflamed.map(conf) },
          closed_comedones: {
            rectangle: comedones.map(rect),
            confidence: comedones.map((l) => round(Math.min(0.5, conf(l)), 2)),
          },
          blackhead: blackheadSeverity(ctx),
        },
      },
    };
  },
};
