/**
 * The Haut.AI result shape (DESIGN.md "Result shape"): one `AlgorithmResult` per algorithm per image.
 * Masks are GeoJSON feature collections in original-image coordinates (`masks_original`) and in the
 * coordinates of the restored (upright, cropped) face image (`masks_restored`).
 */

export type WidgetType = 'bad_good_line' | 'numeric' | 'text' | 'years' | 'percentage' | 'class' | 'points';

export interface MetricValue {
  value: number | string | null;
  widget_type: WidgetType;
  name: string;
  tech_name: string;
  widget_meta: Record<string, unknown> | null;
}

export interface AreaResult {
  area_name: string;
  main_metric: MetricValue;
  sub_metrics: MetricValue[];
}

export type MaskType = 'none' | 'point_mask' | 'polygon_mask' | 'polyline_mask' | 'heatmap_mask';

export type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'MultiPoint'; coordinates: [number, number][] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'MultiLineString'; coordinates: [number, number][][] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] };

export interface MaskFeature {
  type: 'Feature';
  geometry: Geometry;
  properties: Record<string, unknown>;
}

export interface MaskCollection {
  mask_type: MaskType;
  features: MaskFeature[];
}

/**
 * Why an algorithm, an area or a value was not measured. A metric that cannot measure says which of
 * these applies and reports null, never a stand-in number.
 * - `resolution`: the photo's scale (px/mm) is below what the method needs;
 * - `occluded`: more than MAX_OCCLUDED of the area's skin is hidden (hair, glasses, beard, hands),
 *   or too little of it is in the photo;
 * - `eye_closed`: the eye is closed or squeezed (geometry/eye-openness.ts), the skin below it bunches;
 * - `overexposed`: too much of the skin is clipped;
 * - `pose`: the head is turned or tilted beyond what the method allows;
 * - `no_skin`: no usable skin pixels (the colour test rejected them all: light, make-up, cast);
 * - `no_face`: no face in the photo;
 * - `not_repeatable`: the method's value moves more between photos of one person taken minutes apart
 *   than between people (`npm run eval`'s test-retest), so no photo supports a number;
 * - `failed`: the method threw (a bug or an input it does not handle); the other metrics still ran.
 */
export type NotAssessableReason =
  | 'resolution'
  | 'occluded'
  | 'eye_closed'
  | 'overexposed'
  | 'pose'
  | 'no_skin'
  | 'no_face'
  | 'not_repeatable'
  | 'failed';

/** An area an algorithm could not assess; `detail` says more for people (for example the scale needed). */
export interface NotAssessableArea {
  area_name: string;
  reason: NotAssessableReason;
  detail?: string;
}

export interface AlgorithmPayload {
  area_results: AreaResult[];
  masks_original: MaskCollection;
  masks_restored: MaskCollection;
  /** Areas the algorithm could not assess, with the reason (for example the resolution gate). */
  not_assessable_areas?: NotAssessableArea[];
  /** Extra raw values an algorithm exposes beyond the Haut shape (documented per algorithm). */
  raw?: Record<string, unknown>;
}

export interface AlgorithmFailure {
  error: string;
  error_code: string;
  details?: Record<string, unknown>;
}

export interface AlgorithmResult {
  algorithm_family_tech_name: string;
  algorithm_tech_name: string;
  algorithm_version: string;
  is_ok: boolean;
  result: AlgorithmPayload | AlgorithmFailure;
}

/** Score classes of a `bad_good_line` widget (DESIGN.md). */
export function scoreClass(score: number): 'Excellent' | 'Great' | 'Good' | 'Average' | 'Poor' | 'Bad' {
  if (score > 90) return 'Excellent';
  if (score > 80) return 'Great';
  if (score > 70) return 'Good';
  if (score > 50) return 'Average';
  if (score > 30) return 'Poor';
  return 'Bad';
}

export function metricValue(
  techName: string,
  name: string,
  value: number | string | null,
  widgetType: WidgetType = 'numeric',
  widgetMeta: Record<string, unknown> | null = null,
): MetricValue {
  return { value, widget_type: widgetType, name, tech_name: techName, widget_meta: widgetMeta };
}

/**
 * A 0-100 score shown as a bad-good line; the value is rounded to an integer and clamped. A score
 * that was not measured is null with its reason (`widget_meta.reason`), never a stand-in.
 */
export function scoreValue(techName: string, name: string, score: number): MetricValue;
export function scoreValue(
  techName: string,
  name: string,
  score: number | null,
  reason: NotAssessableReason,
): MetricValue;
export function scoreValue(
  techName: string,
  name: string,
  score: number | null,
  reason: NotAssessableReason = 'failed',
): MetricValue {
  if (score === null || !Number.isFinite(score)) return notMeasured(techName, name, reason, 'bad_good_line');
  const value = Math.round(Math.min(100, Math.max(0, score)));
  return metricValue(techName, name, value, 'bad_good_line', { class: scoreClass(value) });
}

/**
 * A measured number (rounded to `digits` decimals), or null with its reason when it was not
 * measured: nothing assessed behind it, or a non-finite result.
 */
export function numberValue(
  techName: string,
  name: string,
  value: number,
  options?: { digits?: number; widget?: WidgetType },
): MetricValue;
export function numberValue(
  techName: string,
  name: string,
  value: number | null,
  options: { digits?: number; widget?: WidgetType; reason: NotAssessableReason },
): MetricValue;
export function numberValue(
  techName: string,
  name: string,
  value: number | null,
  options: { digits?: number; widget?: WidgetType; reason?: NotAssessableReason } = {},
): MetricValue {
  const widget = options.widget ?? 'numeric';
  if (value === null || !Number.isFinite(value))
    return notMeasured(techName, name, options.reason ?? 'failed', widget);
  return metricValue(techName, name, round(value, options.digits ?? 2), widget);
}

/** A value that was not measured: null, with the reason (and an optional detail) in `widget_meta`. */
export function notMeasured(
  techName: string,
  name: string,
  reason: NotAssessableReason,
  widgetType: WidgetType = 'numeric',
  detail?: string,
): MetricValue {
  return metricValue(techName, name, null, widgetType, detail ? { reason, detail } : { reason });
}

/** `value` rounded to `digits` decimals: the one rounding of reported numbers. */
export function round(value: number, digits = 0): number {
  const k = 10 ** digits;
  return Math.round(value * k) / k;
}

export function isAlgorithmPayload(result: AlgorithmResult['result']): result is AlgorithmPayload {
  return 'area_results' in result;
}
