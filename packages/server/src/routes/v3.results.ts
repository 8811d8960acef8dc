import type { FastifyRequest } from 'fastify';
import { SIDE_NAMES } from '../catalog/catalog.ts';
import type { AppContext } from '../context.ts';
import type { Batch } from '../ports/store.ts';
import { signedLink } from './links.ts';
import { type V3ImageLinks, v3MaskLinks } from './v3.masks.ts';
import { V3_PARAMETERS } from './v3.names.ts';
import { v3Labels, v3Values } from './v3.parameters.ts';

const ALGORITHM_OF: Record<string, string> = Object.fromEntries(
  V3_PARAMETERS.map((p) => [p.name, p.algorithm]),
);

/** Lifetime of the links in a v3 results document, seconds (one hour, as Haut's). */
const LINK_SECONDS = 3600;

/**
 * The v3 batch results document: `face_skin_metrics_3` with Haut's parameter names
 * (`v3.names.ts`), `predicted_images` and `predicted_labels`, computed from the front image.
 */
export async function v3Results(ctx: AppContext, request: FastifyRequest, batch: Batch) {
  const sign = (path: string) => signedLink(ctx, request, path, LINK_SECONDS);
  const images = await ctx.store.images.listByBatch(batch.companyId, batch.id);
  const submitted = images.filter((i) => i.status !== 'pending_upload' && i.status !== 'uploaded');
  const calculated =
    submitted.length > 0 && submitted.every((i) => i.status === 'done' || i.status === 'failed');
  const front = submitted.find((i) => i.sideId === 1) ?? submitted[0];
  const results = front ? await ctx.store.images.listResults(batch.companyId, front.id) : [];
  const aux = front ? await ctx.store.images.listAuxImages(batch.companyId, front.id) : [];
  const aligned = aux.find((a) => a.auxImageType === 'selfie_front_face_restored') ?? aux[0];
  const photos: V3ImageLinks = {
    aligned_face: aligned ? sign(`/images/${aligned.id}.jpg`) : null,
    anonymised:
      aligned && results.some((r) => r.algorithmTechName === 'facial_landmarks' && r.isOk)
        ? sign(`/api/v3/anonymised/${front!.id}`)
        : null,
    original: front?.blobKey ? sign(`/images/${front.id}.jpg`) : null,
  };
  const { parameters, notAssessable } = v3Values(results);
  const withMasks = Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [
      name,
      {
        ...value,
        masks: v3MaskLinks({
          sign,
          companyId: front!.companyId,
          imageId: front!.id,
          algorithm: ALGORITHM_OF[name]!,
          photos,
        }),
      },
    ]),
  );
  const labels = v3Labels(parameters);
  return {
    image_batch_id: batch.id,
    images: images.map((i) => ({
      id: i.id,
      side: SIDE_NAMES[i.sideId as 1 | 2 | 3] ?? String(i.sideId),
      status: i.status,
      error: i.error,
      urls: i.blobKey ? { original: sign(`/images/${i.id}.jpg`) } : null,
    })),
    predicted_labels: labels,
    face_skin_metrics_3: {
      all_algorithms_calculated: calculated,
      aligned_face_url: photos.aligned_face,
      predicted_images: { front: photos },
      predicted_labels: labels,
      parameters: withMasks,
      not_assessable: notAssessable,
    },
  };
}
