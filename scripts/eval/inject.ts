/**
 * Synthetic injections on real faces: each injection (injection-sources.ts) at grades 0-4 on a few
 * portraits; per target metric, Spearman's rho between the grade and the metric (per photo, averaged),
 * and for lesion injections the recall and precision of the painted lesions among the algorithm's mask
 * features. Targets whose algorithm has not landed in the registry are listed as such.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Analysis, EnginePool, MaskFeature } from '../../packages/engine/src/index.ts';
import { defaultRegistry, isAlgorithmPayload } from '../../packages/engine/src/index.ts';
import { portraitPath } from '../../packages/engine/src/testing/faces.ts';
import { loadInjections } from './injection-sources.ts';
import { type Canvas, type FaceLayout, INJECTION_TARGETS, type Lesion, type Pt } from './injections.ts';
import { analyzeAll } from './pool.ts';
import { mean, numericValues, spearman } from './values.ts';

export const INJECT_PHOTOS = [
  'ageitgey__examples_obama.jpg',
  'person-linda.jpg',
  'vladmandic__samples_in_stock-emotions-a-1.jpg',
  'vladmandic__samples_in_stock-emotions-b-1.jpg',
];
export const GRADES = [0, 1, 2, 3, 4];

export interface InjectRow {
  injection: string;
  what: string;
  /** Which code painted it (the engine's testing helpers or the evaluation's fallback). */
  source: string;
  metric: string;
  expected_sign: 1 | -1;
  /** 'ok', or why there is no figure ('not landed', 'no values'). */
  status: string;
  /** Mean over photos of Spearman's rho(grade, metric). */
  rho: number;
  photos: number;
  /** Painted lesions found, over every painted lesion (a photo the metric does not assess finds none). */
  recall?: number;
  /** The same over the photos (grades 1-4) on which the metric was assessed. */
  recall_assessed?: number;
  /** Painted photos (grades 1-4) the metric assessed, and all painted photos. */
  assessed_photos?: number;
  painted_photos?: number;
  precision?: number;
}

interface Base {
  canvas: Canvas;
  face: FaceLayout;
}

async function loadBase(pool: EnginePool, name: string): Promise<Base | null> {
  const { data, info } = await sharp(await readFile(portraitPath(name)))
    .autoOrient()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const canvas: Canvas = { data: new Uint8Array(data), width: info.width, height: info.height };
  const [a] = await analyzeAll(pool, [await encode(canvas)], { algorithms: ['facial_landmarks'] });
  const r = a?.results.find((x) => x.algorithm_tech_name === 'facial_landmarks');
  if (!r || !isAlgorithmPayload(r.result)) return null;
  const areas: Record<string, Pt[]> = {};
  for (const f of r.result.masks_original.features)
    if (f.geometry.type === 'Polygon')
      areas[String(f.properties.area_name)] = f.geometry.coordinates[0] as Pt[];
  const pxPerMm = r.result.area_results[0]?.sub_metrics.find((m) => m.tech_name === 'px_per_mm')?.value;
  return typeof pxPerMm === 'number' ? { canvas, face: { areas, pxPerMm } } : null;
}

function encode(c: Canvas): Promise<Buffer> {
  return sharp(c.data, { raw: { width: c.width, height: c.height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

export function centreOf(f: MaskFeature): Pt[] {
  const g = f.geometry;
  const avg = (ring: [number, number][]): Pt => [mean(ring.map((p) => p[0])), mean(ring.map((p) => p[1]))];
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
      return g.coordinates;
    case 'Polygon':
      return [avg(g.coordinates[0]!)];
    case 'MultiPolygon':
      return g.coordinates.map((poly) => avg(poly[0]!));
    default:
      return [];
  }
}

export function detections(a: Analysis | null, algorithm: string): Pt[] {
  const r = a?.results.find((x) => x.algorithm_tech_name === algorithm);
  if (!r || !isAlgorithmPayload(r.result)) return [];
  return r.result.masks_original.features.flatMap(centreOf);
}

/** The row of a target whose algorithm is not in the registry yet. */
function notLanded(
  injection: { name: string; what: string; source: string },
  target: { metric: string; sign: 1 | -1 },
): InjectRow {
  return {
    injection: injection.name,
    what: injection.what,
    source: injection.source,
    metric: target.metric,
    expected_sign: target.sign,
    status: 'not landed',
    rho: Number.NaN,
    photos: 0,
  };
}

export async function evalInject(pool: EnginePool): Promise<InjectRow[]> {
  const landed = new Set(defaultRegistry().metrics.map((m) => m.techName));
  const bases = (await Promise.all(INJECT_PHOTOS.map((p) => loadBase(pool, p)))).filter(
    (b): b is Base => b !== null,
  );
  const rows: InjectRow[] = [];
  for (const injection of await loadInjections()) {
    const targets = INJECTION_TARGETS[injection.name] ?? [];
    const algorithms = [...new Set(targets.map((t) => t.metric.split('/')[0]!))].filter((a) => landed.has(a));
    if (!algorithms.length) {
      for (const t of targets) rows.push(notLanded(injection, t));
      continue;
    }
    const painted: { lesions: Lesion[] }[][] = [];
    const inputs: Buffer[] = [];
    for (const [b, base] of bases.entries()) {
      painted.push([]);
      for (const g of GRADES) {
        const canvas: Canvas = { ...base.canvas, data: Uint8Array.from(base.canvas.data) };
        const lesions = g === 0 ? [] : injection.apply(canvas, base.face, g, 1000 * b + 17);
        painted[b]!.push({ lesions });
        inputs.push(await encode(canvas));
      }
    }
    const analyses = await analyzeAll(pool, inputs, { algorithms });
    for (const t of targets) {
      const algorithm = t.metric.split('/')[0]!;
      if (!landed.has(algorithm)) {
        rows.push(notLanded(injection, t));
        continue;
      }
      const rhos: number[] = [];
      let found = 0;
      let matchedLesions = 0;
      let newDetections = 0;
      let newMatched = 0;
      let assessedLesions = 0;
      let assessedMatched = 0;
      let assessedPhotos = 0;
      let paintedPhotos = 0;
      bases.forEach((_, b) => {
        const series = GRADES.map((_, gi) => analyses[b * GRADES.length + gi]);
        const ys = series.map((a) => (a ? numericValues(a).get(t.metric) : undefined));
        const pairs = GRADES.map((g, gi) => [g, ys[gi]] as const).filter(
          (p): p is readonly [number, number] => p[1] !== undefined,
        );
        if (pairs.length >= 3) {
          const rho = spearman(
            pairs.map((p) => p[0]),
            pairs.map((p) => p[1]),
          );
          rhos.push(Number.isNaN(rho) ? 0 : rho);
        }
        if (!t.lesions) return;
        const baseline = detections(series[0] ?? null, algorithm);
        GRADES.forEach((_, gi) => {
          if (gi === 0) return;
          const lesions = painted[b]![gi]!.lesions;
          const dets = detections(series[gi] ?? null, algorithm);
          const near = (p: Pt, l: Lesion) =>
            Math.hypot(p[0] - l.centre[0], p[1] - l.centre[1]) <= Math.max(3, 2 * l.radiusPx);
          const radius = lesions[0]?.radiusPx ?? 3;
          const matched = lesions.filter((l) => dets.some((d) => near(d, l))).length;
          found += lesions.length;
          matchedLesions += matched;
          paintedPhotos++;
          if (series[gi]?.results.find((x) => x.algorithm_tech_name === algorithm)?.is_ok) {
            assessedPhotos++;
            assessedLesions += lesions.length;
            assessedMatched += matched;
          }
          const fresh = dets.filter(
            (d) => !baseline.some((q) => Math.hypot(d[0] - q[0], d[1] - q[1]) <= Math.max(3, 2 * radius)),
          );
          newDetections += fresh.length;
          newMatched += fresh.filter((d) => lesions.some((l) => near(d, l))).length;
        });
      });
      rows.push({
        injection: injection.name,
        what: injection.what,
        source: injection.source,
        metric: t.metric,
        expected_sign: t.sign,
        status: rhos.length ? 'ok' : 'no values',
        rho: rhos.length ? mean(rhos) : Number.NaN,
        photos: rhos.length,
        ...(t.lesions
          ? {
              recall: found ? matchedLesions / found : Number.NaN,
              recall_assessed: assessedLesions ? assessedMatched / assessedLesions : Number.NaN,
              assessed_photos: assessedPhotos,
              painted_photos: paintedPhotos,
              precision: newDetections ? newMatched / newDetections : Number.NaN,
            }
          : {}),
      });
    }
  }
  return rows;
}
