import type { MetricContext } from '../framework/metric.ts';
import { type AreaName, MAX_OCCLUDED } from '../geometry/areas.ts';
import type { NotAssessableArea } from '../result/result-shape.ts';
import { colourMapsInput } from './colour-maps.input.ts';

/** Splits areas into assessable ones and the not-assessable list of the result. */
export function assessableAreas(
  ctx: MetricContext,
  areas: readonly AreaName[],
): { ok: AreaName[]; notAssessable: NotAssessableArea[] } {
  const maps = ctx.input(colourMapsInput);
  const ok: AreaName[] = [];
  const notAssessable: NotAssessableArea[] = [];
  for (const area of areas) {
    if (maps.areaOccluded(area) > MAX_OCCLUDED) notAssessable.push({ area_name: area, reason: 'occluded' });
    else ok.push(area);
  }
  return { ok, notAssessable };
}

/** The area's usable skin (colour maps' `skin` within the area polygon); shared, do not modify. */
export function areaSkin(ctx: MetricContext, area: AreaName): Uint8Array {
  return ctx.input(colourMapsInput).areaSkin(area);
}

/** Pixel indices of the area's usable skin; shared, do not modify. */
export function areaIndex(ctx: MetricContext, area: AreaName): Int32Array {
  return ctx.input(colourMapsInput).areaIndex(area);
}
