import type { DeletionService } from '../deletion/deletion.service.ts';
import type { ImageRecord, Store } from '../ports/store.ts';

/** Images handled per query while the retention job runs. */
const BATCH = 100;
const DAY_MS = 86_400_000;

export interface RetentionService {
  /**
   * Applies every dataset's retention at `now()`: photos of images older than `expire_images_after_days`
   * and photos of processed images of `clean_images_as_soon_as_ready` datasets are deleted (records and
   * results stay); results of images older than `expire_metadata_after_days` are deleted.
   */
  run(): Promise<{ photosDeleted: number; resultsDeleted: number }>;
  /** `clean_images_as_soon_as_ready`: deletes the photo of an image as soon as its processing ended. */
  onImageProcessed(image: ImageRecord): Promise<void>;
}

/**
 * The retention job. "Photos" are the original and every derived picture of the face (aux images such as
 * the restored face, rendered masks): all go through `DeletionService.deletePhotos`. `now` is injected so
 * the schedule is testable.
 */
export function createRetentionService(deps: {
  store: Store;
  deletion: DeletionService;
  now: () => number;
}): RetentionService {
  const { store, deletion } = deps;
  const cutoff = (days: number) => new Date(deps.now() - days * DAY_MS).toISOString();

  const deletePhotos = async (next: () => Promise<ImageRecord[]>) => {
    let count = 0;
    for (;;) {
      const images = await next();
      for (const image of images) await deletion.deletePhotos(image);
      count += images.length;
      if (images.length < BATCH) return count;
    }
  };

  return {
    async run() {
      let photosDeleted = 0;
      let resultsDeleted = 0;
      for (const policy of await store.history.datasetsWithRetention()) {
        if (policy.expireImagesAfterDays !== null) {
          const before = cutoff(policy.expireImagesAfterDays);
          photosDeleted += await deletePhotos(() =>
            store.history.imagesWithPhoto(policy.id, { createdBefore: before }, BATCH),
          );
        }
        if (policy.cleanImagesAsSoonAsReady) {
          photosDeleted += await deletePhotos(() =>
            store.history.imagesWithPhoto(policy.id, { processed: true }, BATCH),
          );
        }
        if (policy.expireMetadataAfterDays !== null) {
          const before = cutoff(policy.expireMetadataAfterDays);
          for (;;) {
            const ids = await store.history.imagesWithResults(policy.id, before, BATCH);
            for (const id of ids) await store.deletion.purgeResults(id);
            resultsDeleted += ids.length;
            if (ids.length < BATCH) break;
          }
        }
      }
      return { photosDeleted, resultsDeleted };
    },
    async onImageProcessed(image) {
      const dataset = await store.datasets.get(image.companyId, image.datasetId);
      if (dataset?.cleanImagesAsSoonAsReady && image.blobKey) await deletion.deletePhotos(image);
    },
  };
}
