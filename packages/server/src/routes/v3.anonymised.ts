import type { AppContext } from '../context.ts';
import { anonymiseFace } from '../processing/anonymise.ts';

type Feature = { geometry?: { type?: string; coordinates?: unknown }; properties?: { kind?: unknown } };

/** The face mesh points of an image in aligned-face pixels, from its `facial_landmarks` result. */
async function alignedLandmarks(ctx: AppContext, companyId: string, imageId: string) {
  const results = await ctx.store.images.listResults(companyId, imageId);
  const landmarks = results.find((r) => r.algorithmTechName === 'facial_landmarks' && r.isOk);
  const features = (landmarks?.result as { masks_restored?: { features?: Feature[] } } | undefined)
    ?.masks_restored?.features;
  const points = features?.find(
    (f) => f.properties?.kind === 'landmarks' && f.geometry?.type === 'MultiPoint',
  );
  return points?.geometry?.coordinates as [number, number][] | undefined;
}

/** The anonymised aligned face of an image (eyes and brows covered), or undefined when it has none yet. */
export async function anonymisedFace(ctx: AppContext, companyId: string, imageId: string) {
  const aux = await ctx.store.images.listAuxImages(companyId, imageId);
  const aligned = aux.find((a) => a.auxImageType === 'selfie_front_face_restored');
  const points = aligned && (await alignedLandmarks(ctx, companyId, imageId));
  const bytes = points && (await ctx.blobs.get(aligned.blobKey));
  return bytes ? anonymiseFace(bytes, points!) : undefined;
}
