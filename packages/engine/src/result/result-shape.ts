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

export interface AlgorithmPayload {
  area_results: AreaResult[];
  masks_original: MaskCollection;
  masks_restored: MaskCollection;
  /** Areas the algorithm could not assess, with the reason (for example the resolution gate). */
  not_assessable_areas?: { area_name: string; reason: string }[];
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

/** A 0-100 score shown as a bad-good line; the value is rounded to an integer and clamped. */
export function scoreValue(techName: string, name: string, score: number): MetricValue {
  const value = Math.round(Math.min(100, Math.max(0, score)));
  return metricValue(techName, name, value, 'bad_good_line', { class: scoreClass(value) });
}

export function isAlgorithmPayload(result: AlgorithmResult['result']): result is AlgorithmPayload {
  return 'area_results' in result;
}
