import {
  type AlgorithmPayload,
  type AlgorithmResult,
  isAlgorithmPayload,
  type MaskCollection,
  type MetricValue,
} from '@skinscope/engine';
import type { AppContext } from '../context.ts';
import type { ImageRecord } from '../ports/store.ts';

/** Which picture masks are drawn on: the uploaded photo or the restored (upright, cropped) face. */
export type MaskImageType = 'original' | 'restored';

/** The aux image type of the restored face (written by the processor). */
export const RESTORED_AUX_TYPE = 'selfie_front_face_restored';

/** The stored results of an image by algorithm tech name (the last stored one wins). */
export async function resultsByAlgorithm(
  ctx: Pick<AppContext, 'store'>,
  companyId: string,
  imageId: string,
): Promise<Map<string, AlgorithmResult['result'] & object>> {
  const records = await ctx.store.images.listResults(companyId, imageId);
  const out = new Map<string, AlgorithmResult['result']>();
  for (const r of records) {
    const result = r.result as AlgorithmResult['result'];
    if (r.isOk || !out.has(r.algorithmTechName)) out.set(r.algorithmTechName, result);
  }
  return out;
}

export function payloadOrError(
  result: AlgorithmResult['result'] | undefined,
): AlgorithmPayload | { error: string } {
  if (!result) return { error: 'No result for this algorithm' };
  if (isAlgorithmPayload(result)) return result;
  return { error: typeof result.error === 'string' ? result.error : 'Algorithm failed' };
}

/** The mask of a payload in the chosen coordinates. */
export function maskOf(payload: AlgorithmPayload, imageType: MaskImageType): MaskCollection {
  return imageType === 'original' ? payload.masks_original : payload.masks_restored;
}

/** The `face` area's metrics (else the first area's), as the v4 response lists them. */
export function faceMetrics(
  payload: AlgorithmPayload,
): { main: MetricValue; sub: MetricValue[] } | undefined {
  const area = payload.area_results.find((a) => a.area_name === 'face') ?? payload.area_results[0];
  return area && { main: area.main_metric, sub: area.sub_metrics };
}

function firstEdgeLength(mask: MaskCollection | undefined): number | undefined {
  const g = mask?.features[0]?.geometry;
  if (g?.type !== 'Polygon') return undefined;
  const [a, b] = g.coordinates[0] ?? [];
  return a && b ? Math.hypot(b[0] - a[0], b[1] - a[1]) : undefined;
}

/**
 * Pixels per millimetre in the chosen coordinates: the `quality` algorithm's measurement (original
 * pixels, from the iris diameter), scaled for the restored image by the ratio of the face box's edge
 * in restored and original coordinates (face_detector's masks). Undefined when not measured.
 */
export function pxPerMmOf(
  results: Map<string, AlgorithmResult['result']>,
  imageType: MaskImageType,
): number | undefined {
  const quality = results.get('quality');
  const raw = quality && isAlgorithmPayload(quality) ? quality.raw : undefined;
  const ppm = typeof raw?.pxPerMm === 'number' && raw.pxPerMm > 0 ? raw.pxPerMm : undefined;
  if (!ppm || imageType === 'original') return ppm;
  const face = results.get('face_detector');
  if (!face || !isAlgorithmPayload(face)) return undefined;
  const o = firstEdgeLength(face.masks_original);
  const r = firstEdgeLength(face.masks_restored);
  return o && r ? (ppm * r) / o : undefined;
}

/** The bytes of the picture masks are drawn on, or undefined (no restored face, or bytes gone). */
export async function baseImageBytes(
  ctx: Pick<AppContext, 'store' | 'blobs'>,
  image: ImageRecord,
  imageType: MaskImageType,
): Promise<Uint8Array | undefined> {
  if (imageType === 'original') return image.blobKey ? ctx.blobs.get(image.blobKey) : undefined;
  const aux = (await ctx.store.images.listAuxImages(image.companyId, image.id)).find(
    (a) => a.auxImageType === RESTORED_AUX_TYPE,
  );
  return aux ? ctx.blobs.get(aux.blobKey) : undefined;
}
