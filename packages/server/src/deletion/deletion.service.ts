import type { BlobStore } from '../ports/blob-store.ts';
import type { DeletionTarget, ImageRecord, Store } from '../ports/store.ts';

/**
 * One step that removes files an image owns beyond those its rows name (for example a cache of
 * rendered masks). Must be idempotent: a deletion resumed after a crash runs it again.
 */
export type ImageCleanup = (image: ImageRecord, blobs: BlobStore) => Promise<void>;

export interface DeletionService {
  /**
   * Deletes the target and everything under it: flags the rows (reads skip them at once), then deletes
   * every file and row. False when the target is not the company's (nothing is touched).
   */
  delete(companyId: string, target: DeletionTarget): Promise<boolean>;
  /** Finishes every flagged deletion (one interrupted by a crash, say). Returns the images purged. */
  sweep(): Promise<number>;
  /**
   * Deletes an image's photo files (the original, its aux images and every cleanup step's files) and
   * forgets them; the image record and its results stay. Links to the photo answer 404 afterwards.
   */
  deletePhotos(image: ImageRecord): Promise<void>;
  /** GDPR "delete photos": `deletePhotos` for every image of the subject. Returns the images touched. */
  deleteSubjectPhotos(companyId: string, subjectId: string): Promise<number>;
}

/** Images purged per round of a sweep. */
const SWEEP_BATCH = 100;

/**
 * The one deletion use case every route, the retention job and GDPR actions go through. `cleanups` are
 * the extra per-image steps (the files the image's rows name are always deleted).
 */
export function createDeletionService(deps: {
  store: Store;
  blobs: BlobStore;
  cleanups?: readonly ImageCleanup[];
}): DeletionService {
  const { store, blobs } = deps;
  const cleanups = deps.cleanups ?? [];

  const deleteFiles = async (image: ImageRecord) => {
    for (const key of await store.deletion.blobKeys(image.id)) await blobs.delete(key);
    for (const step of cleanups) await step(image, blobs);
  };

  const sweep = async () => {
    let purged = 0;
    for (;;) {
      const images = await store.deletion.markedImages(SWEEP_BATCH);
      for (const image of images) {
        await deleteFiles(image);
        await store.deletion.purgeImageRows(image.id);
      }
      purged += images.length;
      const parents = await store.deletion.purgeEmptyParents();
      if (images.length === 0 && parents === 0) return purged;
    }
  };

  return {
    async delete(companyId, target) {
      if (!(await store.deletion.mark(companyId, target))) return false;
      await sweep();
      return true;
    },
    sweep,
    async deletePhotos(image) {
      await deleteFiles(image);
      await store.deletion.forgetPhoto(image.id);
    },
    async deleteSubjectPhotos(companyId, subjectId) {
      const images = await store.history.subjectImages(companyId, subjectId, {});
      for (const image of images) {
        await deleteFiles(image);
        await store.deletion.forgetPhoto(image.id);
      }
      return images.length;
    },
  };
}
