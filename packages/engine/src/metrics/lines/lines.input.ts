import type { InputProvider, MetricContext } from '../../framework/metric.ts';
import { type AreaName, MAX_OCCLUDED } from '../../geometry/areas.ts';
import { landmarkPoint } from '../../geometry/face-geometry.ts';
import type { Point } from '../../geometry/polygon.ts';
import { type NotAssessableReason, round } from '../../result/result-shape.ts';
import { cropArea } from '../../texture/area-crop.ts';
import { detectLines, type OrientationPrior } from '../../texture/line-detector.ts';
import { type SaggingGeometry, saggingGeometry } from './sagging-geometry.ts';

/**
 * The `lines` shared input: the line measurement of one face, computed once and read by the `lines`,
 * `wrinkles` and `sagging` metrics (skin-metrics-methods.md §1, §14).
 *
 * Each area is measured at one fixed set of scales in millimetres, whatever the photo's size: the
 * scales become pixels through the face's px/mm, and an area is measured only from the px/mm at
 * which its finest scale reaches MIN_SIGMA_PX (below one pixel a "valley" is pixel noise). A scale
 * set that grew with the photo's resolution would make the same face read more lined when upscaled.
 * Gates that follow: forehead, glabella and nasolabial folds (σ ≥ 0.8 mm, furrows and folds ≳ 2 mm
 * wide, and thinner lines as shallower valleys) from 1.25 px/mm; crow's feet (σ ≥ 0.5 mm) from
 * 2 px/mm; under-eye fine lines (σ ≥ 0.25 mm, 0.2-0.5 mm wide) from 4 px/mm (IPD ≈ 250 px, §17).
 */
export interface LineAreaSpec {
  area: AreaName;
  /** Ridge scales σ, mm. */
  sigmasMm: readonly number[];
  /** Expected line direction. */
  prior: 'horizontal' | 'vertical' | 'radial' | 'fold';
  toleranceDeg: number;
}

export const MIN_SIGMA_PX = 1;
/** Shortest line counted, mm (research §1: segments ≥ 3 mm). */
export const MIN_LINE_MM = 3;
/** Lines whose best scale σ is below this are "fine" (valley width ≲ 1 mm), the others "deep". */
export const FINE_SIGMA_MM = 0.3;
/**
 * Hysteresis thresholds on the ridge strength (≈ valley depth, L* units). Set once on the shared
 * portraits (`scripts/calibrate-texture.ts`): the 90th percentile of the ridge response on cheek skin
 * (which has no lines at the forehead's scales) is 0.8 L* in the median cheek and ≤ 1.5 in 90% of
 * them, so the low threshold 1.6 L* sits above it, and seeds need twice that.
 */
export const LINE_LOW = 1.6;
export const LINE_HIGH = 3.2;

export const LINE_AREAS: readonly LineAreaSpec[] = [
  { area: 'forehead', sigmasMm: [0.8, 1.2], prior: 'horizontal', toleranceDeg: 25 },
  { area: 'glabella', sigmasMm: [0.8, 1.2], prior: 'vertical', toleranceDeg: 25 },
  { area: 'right_crows_feet', sigmasMm: [0.5, 0.8], prior: 'radial', toleranceDeg: 30 },
  { area: 'left_crows_feet', sigmasMm: [0.5, 0.8], prior: 'radial', toleranceDeg: 30 },
  { area: 'right_eye_area', sigmasMm: [0.25, 0.4], prior: 'horizontal', toleranceDeg: 30 },
  { area: 'left_eye_area', sigmasMm: [0.25, 0.4], prior: 'horizontal', toleranceDeg: 30 },
  { area: 'nasolabial_right', sigmasMm: [0.8, 1.2, 1.7], prior: 'fold', toleranceDeg: 30 },
  { area: 'nasolabial_left', sigmasMm: [0.8, 1.2, 1.7], prior: 'fold', toleranceDeg: 30 },
];

/** Lowest px/mm at which an area is measured: where its finest scale reaches MIN_SIGMA_PX. */
export function areaMinPxPerMm(spec: LineAreaSpec): number {
  return MIN_SIGMA_PX / Math.min(...spec.sigmasMm);
}

/** Lowest px/mm at which any line area, and so the face's lines, are measured (1.25). */
export const LINES_MIN_PX_PER_MM = Math.min(...LINE_AREAS.map(areaMinPxPerMm));

/**
 * Areas of the face score: the lines (not folds) measured from the face's own gate on, i.e. the
 * forehead and the glabella. Crow's feet and under-eye lines need a finer resolution, and a face
 * score that took them in only above 2 or 4 px/mm would change with the photo's size; nasolabial
 * folds are folds, not lines: one fold in its narrow band reads 10-50 mm·L* per cm², ten times a lined
 * forehead, so whether a fold shows (a smile, a shadow, hair) would swing the face's figure. These
 * areas keep their own results, and the folds feed the sagging score.
 */
export const FACE_SCORE_AREAS: ReadonlySet<AreaName> = new Set(
  LINE_AREAS.filter((s) => areaMinPxPerMm(s) <= LINES_MIN_PX_PER_MM && s.prior !== 'fold').map((s) => s.area),
);

/** Areas measured at a fine scale (σ < FINE_SIGMA_MM), where fine lines can be found at all. */
export const FINE_LINE_AREAS: ReadonlySet<AreaName> = new Set(
  LINE_AREAS.filter((s) => Math.min(...s.sigmasMm) < FINE_SIGMA_MM).map((s) => s.area),
);

/** Lowest px/mm at which fine lines (σ 0.25 mm) can be seen at all (4). */
export const FINE_LINES_MIN_PX_PER_MM = Math.min(
  ...LINE_AREAS.filter((s) => FINE_LINE_AREAS.has(s.area)).map(areaMinPxPerMm),
);

/** One line, in working-image coordinates. */
export interface LineRecord {
  area: AreaName;
  points: Point[];
  lengthMm: number;
  /** ≈ valley depth, L*. */
  depth: number;
  widthMm: number;
  kind: 'fine' | 'deep';
  angleDeg: number;
}

export interface AreaLines {
  area: AreaName;
  assessed: boolean;
  /** Why the area was not assessed (with `detail` for people). */
  reason?: NotAssessableReason;
  detail?: string;
  lines: LineRecord[];
  /** Skin area measured, cm². */
  areaCm2: number;
  count: number;
  lengthMm: number;
  /** Total line length per skin area, mm/cm². */
  lengthDensity: number;
  /** Length-weighted mean depth, L*. */
  meanDepth: number;
  /** Σ length·depth / area: mm·L* per cm², the raw that the scores map. */
  load: number;
  fineLengthDensity: number;
  deepLengthDensity: number;
}

export interface LinesMeasurement {
  pxPerMm: number;
  areas: AreaLines[];
  sagging: SaggingGeometry;
  fineAssessable: boolean;
}

/** Distance from non-skin (brows, lashes, hairline, lips) below which nothing is measured, mm. */
export const EDGE_MARGIN_MM = 1.5;

export const linesInput: InputProvider<LinesMeasurement> = {
  id: 'lines',
  needs: [],
  compute: measureLines,
};

export function measureLines(ctx: MetricContext): LinesMeasurement {
  const { face, frame } = ctx;
  const pxPerMm = face.pxPerMm;
  const areas = LINE_AREAS.map((spec) => measureArea(ctx, spec));
  return {
    pxPerMm,
    areas,
    sagging: saggingGeometry(face),
    fineAssessable: pxPerMm >= FINE_LINES_MIN_PX_PER_MM && frame.width > 0,
  };
}

function measureArea(ctx: MetricContext, spec: LineAreaSpec): AreaLines {
  const { face, frame } = ctx;
  const pxPerMm = face.pxPerMm;
  const empty: AreaLines = {
    area: spec.area,
    assessed: false,
    lines: [],
    areaCm2: 0,
    count: 0,
    lengthMm: 0,
    lengthDensity: 0,
    meanDepth: 0,
    load: 0,
    fineLengthDensity: 0,
    deepLengthDensity: 0,
  };
  const minPxPerMm = areaMinPxPerMm(spec);
  if (pxPerMm < minPxPerMm)
    return { ...empty, reason: 'resolution', detail: `needs ${round(minPxPerMm, 2)} px/mm` };
  const sigmasPx = spec.sigmasMm.map((s) => s * pxPerMm);
  const crop = cropArea(frame, spec.area, 3 * Math.max(...sigmasPx), EDGE_MARGIN_MM * pxPerMm);
  if (!crop || sigmasPx.length === 0 || crop.skinPixels < 25)
    return { ...empty, reason: 'occluded', detail: 'area not visible' };
  if (crop.occludedFraction > MAX_OCCLUDED) return { ...empty, reason: 'occluded' };
  const ox = crop.x0 + frame.x0;
  const oy = crop.y0 + frame.y0;
  const detected = detectLines(crop, {
    sigmasPx,
    low: LINE_LOW,
    high: LINE_HIGH,
    minLengthPx: Math.max(MIN_LINE_MM * pxPerMm, 4),
    prior: { direction: priorOf(ctx, spec, ox, oy), tolerance: (spec.toleranceDeg * Math.PI) / 180 },
  });
  const areaCm2 = crop.skinPixels / (pxPerMm * pxPerMm) / 100;
  const lines: LineRecord[] = detected.map((l) => {
    const widthMm = (l.sigmaPx / pxPerMm) * 2.5;
    return {
      area: spec.area,
      points: l.points.map(([x, y]) => [x + ox, y + oy] as Point),
      lengthMm: l.lengthPx / pxPerMm,
      depth: l.depth,
      widthMm,
      kind: l.sigmaPx / pxPerMm < FINE_SIGMA_MM ? 'fine' : 'deep',
      angleDeg: (l.angle * 180) / Math.PI,
    };
  });
  const lengthMm = lines.reduce((s, l) => s + l.lengthMm, 0);
  const weighted = lines.reduce((s, l) => s + l.lengthMm * l.depth, 0);
  const lengthOf = (kind: 'fine' | 'deep') =>
    lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.lengthMm, 0);
  const perCm2 = (v: number) => (areaCm2 > 0 ? v / areaCm2 : 0);
  return {
    area: spec.area,
    assessed: true,
    lines,
    areaCm2,
    count: lines.length,
    lengthMm,
    lengthDensity: perCm2(lengthMm),
    meanDepth: lengthMm > 0 ? weighted / lengthMm : 0,
    load: perCm2(weighted),
    fineLengthDensity: perCm2(lengthOf('fine')),
    deepLengthDensity: perCm2(lengthOf('deep')),
  };
}

/** Orientation prior of an area, in crop coordinates (crop origin at working pixel (ox, oy)). */
function priorOf(ctx: MetricContext, spec: LineAreaSpec, ox: number, oy: number): OrientationPrior {
  const roll = (ctx.face.pose.roll * Math.PI) / 180;
  const lm = ctx.face.landmarks;
  switch (spec.prior) {
    case 'horizontal':
      return { angle: roll };
    case 'vertical':
      return { angle: roll + Math.PI / 2 };
    case 'radial':
      return { centre: landmarkPoint(lm, spec.area.startsWith('left') ? 263 : 33), origin: [ox, oy] };
    case 'fold': {
      const left = spec.area.endsWith('left');
      const [ax, ay] = landmarkPoint(lm, left ? 358 : 129);
      const [mx, my] = landmarkPoint(lm, left ? 291 : 61);
      return { angle: Math.atan2(my - ay, mx - ax) };
    }
  }
}
