import type { FastifyRequest } from 'fastify';
import { SIDE_NAMES } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';
import type { AlgorithmResultRecord, Batch } from '../ports/store.ts';
import { signedLink } from './links.ts';

interface MetricLike {
  value?: unknown;
  name?: string;
  widget_meta?: { class?: unknown } | null;
}
interface PayloadLike {
  area_results?: { area_name: string; main_metric?: MetricLike; sub_metrics?: unknown[] }[];
  masks_original?: unknown;
  masks_restored?: unknown;
  error?: string;
}

/** `face_skin_metrics_3.parameters.<name>` from the front image's v1 results. */
function parameter(result: AlgorithmResultRecord) {
  const payload = (result.result ?? {}) as PayloadLike;
  if (!result.isOk)
    return { score: null, tag: null, score_description: payload.error ?? 'not computed', areas: {} };
  const areas = payload.area_results ?? [];
  const face = areas.find((a) => a.area_name === 'face') ?? areas[0];
  const cls = face?.main_metric?.widget_meta?.class;
  return {
    score: face?.main_metric?.value ?? null,
    tag: typeof cls === 'string' ? cls : null,
    score_description: face?.main_metric?.name ?? result.algorithmTechName,
    areas: Object.fromEntries(
      areas.map((a) => [
        a.area_name,
        { score: a.main_metric?.value ?? null, sub_metrics: a.sub_metrics ?? [] },
      ]),
    ),
    masks: {
      front: { aligned_face: payload.masks_restored ?? null, original: payload.masks_original ?? null },
    },
  };
}

/** The v3 batch results document. */
export async function v3Results(ctx: AppContext, request: FastifyRequest, batch: Batch) {
  const images = await ctx.store.images.listByBatch(batch.companyId, batch.id);
  const submitted = images.filter((i) => i.status !== 'pending_upload' && i.status !== 'uploaded');
  const calculated =
    submitted.length > 0 && submitted.every((i) => i.status === 'done' || i.status === 'failed');
  const front = submitted.find((i) => i.sideId === 1) ?? submitted[0];
  const results = front ? await ctx.store.images.listResults(batch.companyId, front.id) : [];
  const aux = front ? await ctx.store.images.listAuxImages(batch.companyId, front.id) : [];
  return {
    image_batch_id: batch.id,
    images: images.map((i) => ({
      id: i.id,
      side: SIDE_NAMES[i.sideId as 1 | 2 | 3] ?? String(i.sideId),
      status: i.status,
      error: i.error,
      urls: i.blobKey ? { original: signedLink(ctx, request, `/images/${i.id}.jpg`, 3600) } : null,
    })),
    face_skin_metrics_3: {
      all_algorithms_calculated: calculated,
      aligned_face_url: aux[0] ? signedLink(ctx, request, `/images/${aux[0].id}.jpg`, 3600) : null,
      parameters: Object.fromEntries(results.map((r) => [r.algorithmTechName, parameter(r)])),
    },
  };
}
