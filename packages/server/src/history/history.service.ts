import type { AlgorithmResultRecord, ImageRecord, Store } from '../ports/store.ts';
import { mainMetric } from './main-metric.ts';
import { type Sample, type SmoothingMethod, selectSample, smooth } from './smoothing.ts';

/** One image of a subject's history with its results. */
export interface HistoryEntry {
  image: ImageRecord;
  results: AlgorithmResultRecord[];
}

/** The subject's images with their results, oldest first, `from`/`to` bounding the image time (ISO-8601). */
export async function subjectHistory(
  store: Store,
  companyId: string,
  subjectId: string,
  range: { from?: string; to?: string },
): Promise<HistoryEntry[]> {
  const images = await store.history.subjectImages(companyId, subjectId, range);
  const results = await store.history.resultsOfImages(
    companyId,
    images.map((i) => i.id),
  );
  return images.map((image) => ({ image, results: results.filter((r) => r.imageId === image.id) }));
}

/** Parameters of `smoothed_results` (defaults as Haut's: 14 days, 10 images, mean). */
export interface SmoothingParams {
  /** Days before the image whose images are used, 1-365. */
  windowDays: number;
  /** Most images used (the newest), 1-100. */
  maxSize: number;
  method: SmoothingMethod;
}

/** One smoothed main metric, read by clients as `{algorithm_tech_name, value}`. */
export interface SmoothedMetric {
  algorithmTechName: string;
  algorithmFamilyTechName: string;
  metricTechName: string;
  value: number;
  /** Images the value was computed from (the image itself included). */
  sampleSize: number;
}

/**
 * The image's main metrics smoothed over the subject's images up to it (see `smoothing.ts` for the
 * window and each method's formula). Only algorithms with a numeric main metric on this image appear.
 */
export async function smoothedResults(
  store: Store,
  image: ImageRecord,
  params: SmoothingParams,
): Promise<SmoothedMetric[]> {
  const at = Date.parse(image.creationTime);
  const from = new Date(at - params.windowDays * 86_400_000).toISOString();
  const history = await subjectHistory(store, image.companyId, image.subjectId, {
    from,
    to: image.creationTime,
  });
  const own = history.find((h) => h.image.id === image.id)?.results ?? [];
  const out: SmoothedMetric[] = [];
  const seen = new Set<string>();
  for (const result of own) {
    const metric = mainMetric(result);
    if (!metric || seen.has(result.algorithmTechName)) continue;
    seen.add(result.algorithmTechName);
    const series: Sample[] = [];
    for (const entry of history) {
      const r = entry.results.find((x) => x.algorithmTechName === result.algorithmTechName);
      const value = r && mainMetric(r)?.value;
      if (value !== undefined) series.push({ time: Date.parse(entry.image.creationTime), value });
    }
    const sample = selectSample(series, at, params.windowDays, params.maxSize);
    out.push({
      algorithmTechName: result.algorithmTechName,
      algorithmFamilyTechName: result.algorithmFamilyTechName,
      metricTechName: metric.techName,
      value: smooth(sample, params.method, at),
      sampleSize: sample.length,
    });
  }
  return out;
}
