import type { MaskFeature, MetricValue } from '../../result/result-shape.ts';

export type EyeSide = 'left_eye_area' | 'right_eye_area';
export const EYE_SIDES: readonly EyeSide[] = ['right_eye_area', 'left_eye_area'];

/**
 * One part of `eye_area_condition` (dark circles here; eye bags and lacrimal groove beside it):
 * a 0-100 score and sub-metrics per under-eye area, mask features in working coordinates, raw values.
 */
export interface EyeAreaPart {
  name: string;
  sides: Partial<Record<EyeSide, { score: number; subMetrics: MetricValue[] }>>;
  features: MaskFeature[];
  raw: Record<string, unknown>;
}

/** The part restricted to the given sides: their scores, raw entries and mask features (`properties.area`). */
export function partForSides(part: EyeAreaPart, sides: readonly EyeSide[]): EyeAreaPart {
  const kept = new Set<string>(sides);
  return {
    name: part.name,
    sides: Object.fromEntries(Object.entries(part.sides).filter(([side]) => kept.has(side))),
    features: part.features.filter((f) => kept.has(String(f.properties.area))),
    raw: Object.fromEntries(Object.entries(part.raw).filter(([side]) => kept.has(side))),
  };
}
