import type { MaskFeature, MetricValue, NotAssessableReason, WidgetType } from '../../result/result-shape.ts';

export type EyeSide = 'left_eye_area' | 'right_eye_area';
export const EYE_SIDES: readonly EyeSide[] = ['right_eye_area', 'left_eye_area'];

/**
 * One part of `eye_area_condition` (dark circles here; eye bags and lacrimal groove beside it):
 * a 0-100 score and sub-metrics per under-eye area, mask features in working coordinates, raw values.
 */
export interface EyeAreaPart {
  name: string;
  sides: Partial<Record<EyeSide, { score: number; subMetrics: MetricValue[] }>>;
  /** Why a side is missing from `sides` when the whole part could not measure (default `occluded`). */
  reason?: NotAssessableReason;
  features: MaskFeature[];
  raw: Record<string, unknown>;
}

/** The sub-metrics each part gives per side, so a missing side reports them as null. */
export const PART_SUB_METRICS: Record<
  string,
  readonly { techName: string; name: string; widget: WidgetType }[]
> = {
  dark_circles: [
    { techName: 'dark_circles_score', name: 'Dark Circles', widget: 'bad_good_line' },
    { techName: 'dark_circle_type', name: 'Dark Circle Type', widget: 'text' },
  ],
  eye_bags: [
    { techName: 'eyes_bags_score', name: 'Eye Bags', widget: 'bad_good_line' },
    { techName: 'lacrimal_groove_score', name: 'Lacrimal Groove', widget: 'bad_good_line' },
  ],
};

/** The part restricted to the given sides: their scores, raw entries and mask features (`properties.area`). */
export function partForSides(part: EyeAreaPart, sides: readonly EyeSide[]): EyeAreaPart {
  const kept = new Set<string>(sides);
  return {
    name: part.name,
    ...(part.reason ? { reason: part.reason } : {}),
    sides: Object.fromEntries(Object.entries(part.sides).filter(([side]) => kept.has(side))),
    features: part.features.filter((f) => kept.has(String(f.properties.area))),
    raw: Object.fromEntries(Object.entries(part.raw).filter(([side]) => kept.has(side))),
  };
}
