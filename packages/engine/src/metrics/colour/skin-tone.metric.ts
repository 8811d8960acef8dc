import { areaIndex, assessableAreas } from '../../colour/area-stats.ts';
import { type ColourDetail, colourDetailInput } from '../../colour/colour-detail.input.ts';
import { type ColourMaps, colourMapsInput } from '../../colour/colour-maps.input.ts';
import type { Lab } from '../../colour/srgb.ts';
import type { MetricModule } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { quantileOf } from '../../image/filters.ts';
import { frameUint8 } from '../../image/frame-buffers.ts';
import { everyNth, indicesOf, keepBetween, markAt, medianAt, sampleAt } from '../../image/pixel-stats.ts';
import { type AreaResult, metricValue, round } from '../../result/result-shape.ts';
import {
  ailabHueClass,
  ailabItaClass,
  hueAngleOf,
  itaClass,
  itaOf,
  monkTone,
  type SkintoneClass,
} from './skin-tone-classes.ts';

/**
 * `skin_tone` (skin-metrics-methods.md §13): CIELAB medians over non-lesional skin of the
 * forehead and both cheeks after white balance, and what they classify to.
 *
 * Non-lesional: pixels of the colour maps' usable skin whose band-pass ΔL* is above −4 (no dark
 * spot) and whose a* is less than 5 above the face's median (no red lesion), with the darkest and brightest 10% of L* dropped
 * (shadow, specular). Main metric `skintone_class`: the six ITA bands of Chardon / Del Bino
 * (skin-tone-classes.ts), or "Abnormal" when the light makes colour meaningless (AILab
 * class 6). Sub-metrics: `ita` and `hue_angle` (degrees), `lab_l`, `lab_a`, `lab_b`,
 * `monk_tone` (1-10, nearest Monk swatch in CIEDE2000). No score: nothing is mapped to 0-100.
 *
 * "Abnormal" when: more than 40% of the skin is clipped (a channel at its clip level, image/clip-levels.ts), more than half of it
 * is nearly black (linear luminance < 0.02, L* < 15.5) or its median L* is under 12 or over 92,
 * the white-balanced skin a* and b* fall outside a* 0-32, b* 2-42 (wider than OFIQ's
 * natural-colour box [5, 25] × [5, 35] to admit very light and very dark skin), or the hue angle
 * is outside 10-90° (AILab's valid HA range). The exposure limits are set so that deep skin
 * (median L* 17-30 on the FairFace calibration photos) is not mistaken for underexposure.
 */
const AREAS: readonly AreaName[] = ['forehead', 'left_cheek', 'right_cheek'];

export const skinToneMetric: MetricModule = {
  techName: 'skin_tone',
  familyTechName: 'selfie_v2.skin_tone',
  version: '1.0.0',
  name: 'Skin Tone',
  description: 'ITA and hue angle of non-lesional forehead and cheek skin, ITA class and Monk tone.',
  needs: ['colour', 'colour-detail'],
  areas: ['face', ...AREAS],
  outputs: {
    main: 'skintone_class',
    sub: ['ita', 'hue_angle', 'lab_l', 'lab_a', 'lab_b', 'monk_tone'],
    maskType: 'none',
  },
  minPxPerMm: 0,
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const detail = ctx.input(colourDetailInput);
    const { ok, notAssessable } = assessableAreas(ctx, AREAS);
    const faceA = detail.faceA;
    const perArea = new Map<AreaName, Lab>();
    const pooled = frameUint8(maps.skin.length);
    for (const area of ok) {
      const idx = nonLesional(areaIndex(ctx, area), detail, faceA);
      markAt(pooled, idx);
      const lab = robustLab(maps, idx);
      if (lab) perArea.set(area, lab);
    }
    // The face's tone is the forehead's and cheeks' (no fallback to whatever other skin is visible).
    const face = robustLab(maps, indicesOf(pooled));
    if (!face) {
      const reasons = abnormalReasons(maps, null);
      if (!reasons.length) {
        return {
          area_results: [],
          not_assessable_areas: [
            { area_name: 'face', reason: ok.length ? 'no_skin' : 'occluded' },
            ...notAssessable,
          ],
        };
      }
      return {
        area_results: [
          {
            area_name: 'face',
            main_metric: metricValue('skintone_class', 'Skin Tone', 'Abnormal', 'class', {
              abnormal_reasons: reasons,
            }),
            sub_metrics: [],
          },
        ],
        raw: {
          abnormal: true,
          abnormal_reasons: reasons,
          ailab: { skintone_ita: { skintone: 6 }, skin_hue_ha: { skintone: 3 } },
        },
      };
    }
    const reasons = abnormalReasons(maps, face);
    const abnormal = reasons.length > 0;
    const ita = itaOf(face);
    const hue = hueAngleOf(face);
    const cls: SkintoneClass = abnormal ? 'Abnormal' : itaClass(ita);
    const area_results: AreaResult[] = [
      {
        area_name: 'face',
        main_metric: metricValue('skintone_class', 'Skin Tone', cls, 'class', {
          ita_class: itaClass(ita),
          abnormal_reasons: reasons,
        }),
        sub_metrics: labMetrics(face, true),
      },
    ];
    for (const [area, lab] of perArea) {
      area_results.push({
        area_name: area,
        main_metric: metricValue(
          'skintone_class',
          'Skin Tone',
          abnormal ? 'Abnormal' : itaClass(itaOf(lab)),
          'class',
        ),
        sub_metrics: labMetrics(lab, false),
      });
    }
    const wb = maps.whiteBalance;
    return {
      area_results,
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: {
        ita: round(ita, 1),
        hue_angle: round(hue, 1),
        lab: { L: round(face.L, 1), a: round(face.a, 1), b: round(face.b, 1) },
        abnormal,
        abnormal_reasons: reasons,
        ailab: {
          skintone_ita: { ITA: round(ita, 1), skintone: ailabItaClass(ita, abnormal) },
          skin_hue_ha: { HA: round(hue, 1), skintone: ailabHueClass(hue, abnormal) },
        },
        white_balance: {
          gains: wb.gains.map((g) => round(g, 3)),
          skin_estimate: wb.skinEstimate.map((g) => round(g, 3)),
          corrected: wb.corrected,
          sclera: {
            pixels: wb.sclera.pixels,
            L: round(wb.sclera.L, 1),
            a: round(wb.sclera.a, 1),
            b: round(wb.sclera.b, 1),
            plausible: wb.sclera.plausible,
          },
        },
        clipped_fraction: round(maps.clippedFraction, 3),
        dark_fraction: round(maps.darkFraction, 3),
      },
    };
  },
};

function nonLesional(idx: Int32Array, detail: ColourDetail, faceA: number): Int32Array {
  const dL = detail.delta.L;
  const fineA = detail.fine.a;
  const out = new Int32Array(idx.length);
  let j = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (dL[i]! >= -4 && fineA[i]! - faceA <= 5) out[j++] = i;
  }
  return out.subarray(0, j);
}

/** Median L*, a*, b* of the pixels between the 10th and 90th percentile of L*; null when too few. */
export function robustLab(maps: ColourMaps, all: Int32Array): Lab | null {
  const stride = Math.max(1, Math.floor(all.length / 6000));
  const idx = everyNth(all, stride);
  if (idx.length < 30) return null;
  const Ls = sampleAt(maps.L, idx);
  const lo = quantileOf(Ls, 0.1);
  const hi = quantileOf(Ls, 0.9);
  const keep = keepBetween(idx, maps.L, lo, hi);
  return { L: medianAt(maps.L, keep), a: medianAt(maps.a, keep), b: medianAt(maps.b, keep) };
}

function labMetrics(lab: Lab, withMonk: boolean) {
  const out = [
    metricValue('ita', 'ITA°', round(itaOf(lab), 1)),
    metricValue('hue_angle', 'Hue Angle°', round(hueAngleOf(lab), 1)),
    metricValue('lab_l', 'L*', round(lab.L, 1)),
    metricValue('lab_a', 'a*', round(lab.a, 1)),
    metricValue('lab_b', 'b*', round(lab.b, 1)),
  ];
  if (withMonk) out.push(metricValue('monk_tone', 'Monk Skin Tone', monkTone(lab)));
  return out;
}

/** Why colour is not meaningful on this photo (empty when it is). */
export function abnormalReasons(maps: ColourMaps, face: Lab | null): string[] {
  const reasons: string[] = [];
  if (maps.clippedFraction > 0.4) reasons.push('overexposed');
  if (maps.darkFraction > 0.5) reasons.push('underexposed');
  if (!face) return reasons;
  if (face.L < 12) reasons.push('underexposed');
  if (face.L > 92) reasons.push('overexposed');
  if (face.a < 0 || face.a > 32 || face.b < 2 || face.b > 42) reasons.push('colour_cast');
  const hue = hueAngleOf(face);
  if (hue < 10 || hue > 90) reasons.push('hue_out_of_range');
  return [...new Set(reasons)];
}
