import type { MetricModule, MetricOutput } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import {
  type AreaResult,
  type MaskFeature,
  metricValue,
  notMeasured,
  numberValue,
  round,
  scoreValue,
} from '../../result/result-shape.ts';
import {
  type AreaLines,
  FACE_SCORE_AREAS,
  LINES_MIN_PX_PER_MM,
  type LinesMeasurement,
  linesInput,
} from './lines.input.ts';
import {
  faceLoad,
  jowlsGradeOf,
  LINES_PRESENT_LOAD,
  linesScoreOf,
  presence,
  saggingOf,
} from './lines-scores.ts';

/**
 * `lines`: wrinkles and folds (skin-metrics-methods.md §1) per area, from the shared `lines` input:
 * multi-scale dark-ridge filter on L* → orientation prior → hysteresis → skeleton → lines ≥ 3 mm.
 * Main metric per area `lines_score` (0-100, lines-scores.ts: 100/(1+load/8.8), load =
 * Σ length·depth per cm²). Sub-metrics: `lines_number`, `lines_length_density` (mm/cm²),
 * `lines_depth` (≈ valley depth, L*); on `face` also `sagging_score` and `jowls_grade` (null with
 * the reason when the head pose gate fails or neither nasolabial fold is assessed). The face's
 * score and line figures cover the face-score areas only (forehead and glabella: FACE_SCORE_AREAS),
 * so they describe the same skin at every resolution where they are reported; crow's feet,
 * under-eye lines and nasolabial folds have their own area results. With neither face-score area
 * assessed, the face's values are null. Polyline mask: one LineString per line with area, length,
 * depth and kind.
 * `raw.ailab`: forehead_wrinkle, crows_feet, eye_finelines, glabella_wrinkle, nasolabial_fold,
 * nasolabial_fold_severity ({value, confidence}; value null when not assessable; severity by fold
 * load < 2·L50 (17.6) mild, < 4·L50 (35.2) moderate, else severe; its confidence is null: nothing measures it).
 * Below LINES_MIN_PX_PER_MM (1.25) nothing is assessable; per-area gates are in lines.input.ts.
 */

export const linesMetric: MetricModule = {
  techName: 'lines',
  familyTechName: 'selfie_v2.lines',
  version: '1.0.0',
  name: 'Lines',
  description: 'Wrinkles and folds per area: count, length per cm², depth proxy, score; sagging and jowls.',
  needs: ['lines'],
  areas: [
    'face',
    'forehead',
    'glabella',
    'left_crows_feet',
    'right_crows_feet',
    'left_eye_area',
    'right_eye_area',
    'nasolabial_left',
    'nasolabial_right',
  ],
  outputs: {
    main: 'lines_score',
    sub: ['lines_number', 'lines_length_density', 'lines_depth', 'sagging_score', 'jowls_grade'],
    maskType: 'polyline_mask',
  },
  minPxPerMm: LINES_MIN_PX_PER_MM,
  compute(ctx) {
    const m = ctx.input(linesInput);
    return linesOutput(m);
  },
};

/** Sub-metrics of an area, or of the face; null with the reason when nothing was assessed. */
function areaSubs(a: { count: number; lengthDensity: number; meanDepth: number } | null) {
  const reason = { reason: 'occluded' } as const;
  return [
    numberValue('lines_number', 'Number of Lines', a ? a.count : null, { digits: 0, ...reason }),
    numberValue('lines_length_density', 'Line Length, mm/cm²', a ? a.lengthDensity : null, reason),
    numberValue('lines_depth', 'Line Depth (L*)', a ? a.meanDepth : null, reason),
  ];
}

export function linesOutput(m: LinesMeasurement): MetricOutput {
  const assessed = m.areas.filter((a) => a.assessed);
  const scored = assessed.filter((a) => FACE_SCORE_AREAS.has(a.area));
  const load = faceLoad(m.areas);
  const count = scored.reduce((s, a) => s + a.count, 0);
  const totalArea = scored.reduce((s, a) => s + a.areaCm2, 0);
  const length = scored.reduce((s, a) => s + a.lengthMm, 0);
  const depth = length > 0 ? scored.reduce((s, a) => s + a.meanDepth * a.lengthMm, 0) / length : 0;
  const sagging = saggingOf(m);
  const face: AreaResult = {
    area_name: 'face',
    main_metric: scoreValue(
      'lines_score',
      'Lines Score',
      scored.length ? linesScoreOf(load) : null,
      'occluded',
    ),
    sub_metrics: [
      ...areaSubs(
        scored.length
          ? { count, lengthDensity: totalArea > 0 ? length / totalArea : 0, meanDepth: depth }
          : null,
      ),
      sagging.notAssessable
        ? notMeasured('sagging_score', 'Sagging Score', sagging.notAssessable, 'bad_good_line')
        : scoreValue('sagging_score', 'Sagging Score', sagging.score),
      sagging.notAssessable
        ? notMeasured('jowls_grade', 'Jowls Grade', sagging.notAssessable)
        : metricValue('jowls_grade', 'Jowls Grade', jowlsGradeOf(sagging.score)),
    ],
  };
  const perArea: AreaResult[] = assessed.map((a) => ({
    area_name: a.area,
    main_metric: scoreValue('lines_score', 'Lines Score', linesScoreOf(a.load)),
    sub_metrics: areaSubs(a),
  }));
  const features: MaskFeature[] = assessed.flatMap((a) =>
    a.lines.map((l) => ({
      type: 'Feature' as const,
      geometry: { type: 'LineString' as const, coordinates: l.points },
      properties: {
        area_name: a.area,
        length_mm: round(l.lengthMm, 2),
        depth: round(l.depth, 2),
        kind: l.kind,
      },
    })),
  );
  return {
    area_results: [face, ...perArea],
    masks: { mask_type: 'polyline_mask', features },
    not_assessable_areas: m.areas
      .filter((a) => !a.assessed)
      .map((a) => ({
        area_name: a.area,
        reason: a.reason ?? 'occluded',
        ...(a.detail ? { detail: a.detail } : {}),
      })),
    raw: {
      px_per_mm: round(m.pxPerMm, 2),
      face_load: round(load, 2),
      sagging: sagging.notAssessable
        ? { not_assessable: sagging.notAssessable, pose_ok: m.sagging.poseOk }
        : { raw: round(sagging.raw, 2), ...roundAll(m.sagging) },
      ailab: ailabLines(m),
    },
  };
}

function roundAll(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v, 2) : v]));
}

/** The AILab view of the line measurement (seed 004). */
export function ailabLines(
  m: LinesMeasurement,
): Record<string, { value: number | null; confidence: number | null }> {
  const byArea = new Map<AreaName, AreaLines>(m.areas.map((a) => [a.area, a]));
  const pair = (...names: AreaName[]) => {
    const list = names.map((n) => byArea.get(n)).filter((a): a is AreaLines => Boolean(a?.assessed));
    if (!list.length) return { value: null, confidence: 0 };
    return presence(Math.max(...list.map((a) => a.load)));
  };
  const folds = ['nasolabial_left', 'nasolabial_right'] as const;
  const foldLoads = folds.flatMap((n) => (byArea.get(n)?.assessed ? [byArea.get(n)!.load] : []));
  const foldLoad = Math.max(...foldLoads);
  const fold = pair(...folds);
  const severity = foldLoad < 2 * LINES_PRESENT_LOAD ? 0 : foldLoad < 4 * LINES_PRESENT_LOAD ? 1 : 2;
  return {
    forehead_wrinkle: pair('forehead'),
    glabella_wrinkle: pair('glabella'),
    crows_feet: pair('left_crows_feet', 'right_crows_feet'),
    eye_finelines: pair('left_eye_area', 'right_eye_area'),
    nasolabial_fold: fold,
    nasolabial_fold_severity:
      fold.value === null ? { value: null, confidence: null } : { value: severity, confidence: null },
  };
}
