import type { MetricModule } from '../../framework/metric.ts';
import { eyeOpenness, MIN_EYE_OPENNESS } from '../../geometry/eye-openness.ts';
import {
  type AreaResult,
  metricValue,
  type NotAssessableArea,
  type NotAssessableReason,
  notMeasured,
  round,
} from '../../result/result-shape.ts';
import { darkCirclesInput, darkCirclesPart } from '../eye-area/dark-circles.input.ts';
import { ageInput } from './age.input.ts';
import { type EyeMeasures, type EyeSide, measureEyes } from './eye-measures.ts';

/** What eye age reads of one eye: the dark-circle score of `eye_area_condition` and our texture ratio. */
export interface EyeSigns {
  /** `dark_circles_score` of the side, 0-100 (100 = no dark circle; metrics/eye-area/dark-circles.input.ts); null when not measured. */
  darkCircleScore: number | null;
  /** eye-measures.ts, null when too little skin is visible. */
  measures: EyeMeasures | null;
}

/** The dark-circle score at which an eye gets no offset: the population median of dark-circles.ts's anchors. */
export const DARK_CIRCLE_NEUTRAL = 80;
/**
 * Years per point of dark-circle score below neutral: score 50 (the population 95th percentile) is
 * +7.5 years, score 95 (5th percentile) −3.75 years.
 */
export const YEARS_PER_DARK_CIRCLE_POINT = 0.25;
/** Reference of the texture ratio: median over the detected fairface faces (n = 179). */
export const TEXTURE_REFERENCE = 0.33;
/** Years per unit of ln texture ratio (the fairface inter-quartile range, 0.43, is about 1.7 years). */
export const YEARS_PER_TEXTURE = 4;
/** Texture counts only from this scale up: below it fine lines are not resolved and the ratio is noise. */
export const TEXTURE_MIN_PX_PER_MM = 3;
/** Largest offset of an eye from the perceived age, years. */
export const MAX_EYE_OFFSET = 8;

/** Eye age of one side: perceived age plus the bounded offset of that eye's signs of ageing. */
export function eyeAgeOf(perceivedAge: number, signs: EyeSigns, pxPerMm: number): number {
  const dark =
    signs.darkCircleScore === null
      ? 0
      : YEARS_PER_DARK_CIRCLE_POINT * (DARK_CIRCLE_NEUTRAL - signs.darkCircleScore);
  const texture =
    signs.measures && pxPerMm >= TEXTURE_MIN_PX_PER_MM
      ? YEARS_PER_TEXTURE * (signs.measures.texture - TEXTURE_REFERENCE)
      : 0;
  const offset = Math.max(-MAX_EYE_OFFSET, Math.min(MAX_EYE_OFFSET, dark + texture));
  return Math.max(0, perceivedAge + offset);
}

/**
 * `eye_age` (family `selfie_v2.eyes_age`): eye age in years, left, right and mean.
 *
 * What it is: the perceived age of the whole face (the `age` metric) shifted per eye by at most
 * ±8 years according to that eye's signs of ageing, each measured against the same-side cheek:
 *  - dark circles: the `dark_circles_score` of `eye_area_condition` (metrics/eye-area/dark-circles.input.ts, ΔE*ab
 *    with darkening, population-anchored), 0.25 years per point below 80 (the population median);
 *  - at ≥ 3 px/mm, fine texture of the under-eye and crow's-feet skin (eye-measures.ts), 4 years
 *    per unit of ln detail ratio above the fairface median 0.33.
 * It is not a model trained on eye-age labels (PhotoAgeClock-style eye crops with ages are not
 * available here); the weights are set by hand, so equal eye areas give equal eye ages, a darker or
 * more lined eye area gives an older eye, and the mean follows perceived age. A side with a sign
 * missing gets no offset from that sign; a side with no sign measured (eye closed, area hidden, and
 * texture below 3 px/mm) has no eye age: null with the reason, never the face's age. The mean is
 * over the sides measured. `raw` lists what was measured.
 */
export const eyeAgeMetric: MetricModule = {
  techName: 'eye_age',
  familyTechName: 'selfie_v2.eyes_age',
  version: '1.2.0',
  name: 'Eye Age',
  description:
    'Eye age in years per eye: perceived age shifted by dark circles and eye-area texture relative to the same-side cheek.',
  needs: [ageInput.id, darkCirclesInput.id],
  areas: ['face', 'left_eye_area', 'right_eye_area'],
  outputs: { main: 'eye_age', sub: ['left_eye_age', 'right_eye_age'], maskType: 'none' },
  minPxPerMm: 0,
  compute(ctx) {
    const age = ctx.input(ageInput).years;
    const measures = measureEyes(ctx.frame, ctx.face.pxPerMm);
    const darkCircles = darkCirclesPart(ctx);
    // A closed or squeezed eye (geometry/eye-openness.ts) bunches the skin below it: no offset from it.
    const open = (s: EyeSide) => eyeOpenness(ctx.face, s) >= MIN_EYE_OPENNESS;
    const signs = (s: EyeSide): EyeSigns =>
      open(s)
        ? { darkCircleScore: darkCircles.sides[`${s}_eye_area`]?.score ?? null, measures: measures[s] }
        : { darkCircleScore: null, measures: null };
    /** Why a side has no eye age, or null when at least one of its signs was measured. */
    const missing = (s: EyeSide): NotAssessableReason | null => {
      if (!open(s)) return 'eye_closed';
      const { darkCircleScore, measures: m } = signs(s);
      return darkCircleScore !== null || (m !== null && ctx.face.pxPerMm >= TEXTURE_MIN_PX_PER_MM)
        ? null
        : 'occluded';
    };
    const sideAge = (s: EyeSide) => (missing(s) ? null : eyeAgeOf(age, signs(s), ctx.face.pxPerMm));
    const left = sideAge('left');
    const right = sideAge('right');
    const measured = [left, right].filter((v): v is number => v !== null);
    const mean = measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : null;
    const years = (name: string, tech: string, v: number | null, reason: NotAssessableReason) =>
      v === null ? notMeasured(tech, name, reason, 'years') : metricValue(tech, name, round(v, 1), 'years');
    const area = (s: EyeSide): AreaResult => ({
      area_name: `${s}_eye_area`,
      main_metric: years('Eye Age', 'eye_age', s === 'left' ? left : right, missing(s) ?? 'occluded'),
      sub_metrics: [],
    });
    const notAssessable: NotAssessableArea[] = (['left', 'right'] as const).flatMap((s) => {
      const reason = missing(s);
      return reason ? [{ area_name: `${s}_eye_area`, reason }] : [];
    });
    if (mean === null) notAssessable.unshift({ area_name: 'face', reason: missing('left') ?? 'occluded' });
    const rawSide = (s: EyeSide) => {
      const { darkCircleScore, measures: m } = signs(s);
      return {
        dark_circle_score: darkCircleScore === null ? null : round(darkCircleScore, 1),
        texture: m ? round(m.texture, 3) : null,
        luma_darkness: m ? round(m.darkness, 3) : null,
        texture_used: m !== null && ctx.face.pxPerMm >= TEXTURE_MIN_PX_PER_MM,
      };
    };
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: years('Eye Age', 'eye_age', mean, missing('left') ?? 'occluded'),
          sub_metrics: [
            years('Left Eye Age', 'left_eye_age', left, missing('left') ?? 'occluded'),
            years('Right Eye Age', 'right_eye_age', right, missing('right') ?? 'occluded'),
          ],
        },
        area('left'),
        area('right'),
      ],
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: { perceived_age_years: round(age, 1), left: rawSide('left'), right: rawSide('right') },
    };
  },
};
