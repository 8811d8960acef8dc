import type { AlgorithmResultRecord } from '../ports/store.ts';

interface AreaLike {
  area_name?: unknown;
  main_metric?: { value?: unknown; tech_name?: unknown } | null;
  sub_metrics?: { value?: unknown; tech_name?: unknown }[] | null;
}

/** The `area_results` of a stored result payload (empty for a failed algorithm). */
export function areaResults(result: AlgorithmResultRecord): AreaLike[] {
  if (!result.isOk) return [];
  const areas = (result.result as { area_results?: unknown } | null)?.area_results;
  return Array.isArray(areas) ? (areas as AreaLike[]) : [];
}

/**
 * The numeric main metric of a result: the `face` area's (else the first area's), as clients read it.
 * Undefined for failed algorithms and categorical metrics (skin tone class, skin type).
 */
export function mainMetric(result: AlgorithmResultRecord): { techName: string; value: number } | undefined {
  const areas = areaResults(result);
  const area = areas.find((a) => a.area_name === 'face') ?? areas[0];
  const value = area?.main_metric?.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const techName = area?.main_metric?.tech_name;
  return { techName: typeof techName === 'string' ? techName : result.algorithmTechName, value };
}

/** A numeric sub-metric of the face area (else of any area) by tech name. */
export function subMetric(result: AlgorithmResultRecord, techName: string): number | undefined {
  const areas = areaResults(result);
  const ordered = [
    ...areas.filter((a) => a.area_name === 'face'),
    ...areas.filter((a) => a.area_name !== 'face'),
  ];
  for (const area of ordered) {
    const found = area.sub_metrics?.find((m) => m.tech_name === techName)?.value;
    if (typeof found === 'number' && Number.isFinite(found)) return found;
  }
  return undefined;
}
