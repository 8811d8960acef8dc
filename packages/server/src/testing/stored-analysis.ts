import { randomUUID } from 'node:crypto';
import type { AlgorithmResult } from '@skinscope/engine';
import type { DataDir } from '../data-dir.ts';
import type { ImageRecord } from '../ports/store.ts';

export interface StoredImage {
  datasetId: string;
  subjectId: string;
  batchId: string;
  image: ImageRecord;
}

/**
 * Stores an image with its bytes and given engine results (and optionally a restored aux image), as
 * the processor would after an analysis; for tests of what is served from stored results.
 */
export async function storeAnalysedImage(
  data: DataDir,
  companyId: string,
  input: {
    bytes: Uint8Array;
    width: number;
    height: number;
    results: AlgorithmResult[];
    restored?: { bytes: Uint8Array; width: number; height: number };
    /** Reuse a subject (history); else a new dataset, subject and batch are made. */
    into?: { datasetId: string; subjectId: string };
    creationTime?: string;
  },
): Promise<StoredImage> {
  const datasetId =
    input.into?.datasetId ??
    (
      await data.store.datasets.create(companyId, {
        name: 'masks',
        imageTypeId: 1,
        expireImagesAfterDays: null,
        expireMetadataAfterDays: null,
        cleanImagesAsSoonAsReady: false,
      })
    ).id;
  const subjectId =
    input.into?.subjectId ??
    (
      await data.store.subjects.create(companyId, {
        datasetId,
        name: 'subject',
        birthDate: null,
        biologicalSex: null,
        meta: {},
        authorId: null,
      })
    ).id;
  const batch = await data.store.subjects.createBatch(companyId, datasetId, subjectId);
  const id = randomUUID();
  const blobKey = `images/${companyId}/${id}.jpg`;
  await data.blobs.put(blobKey, input.bytes, 'image/jpeg');
  await data.store.images.create({
    id,
    companyId,
    datasetId,
    subjectId,
    batchId: batch.id,
    sideId: 1,
    lightId: 1,
    blobKey,
    width: input.width,
    height: input.height,
    format: 'jpeg',
    status: 'processing',
    applicationRunIds: [],
    meta: {},
    error: null,
  });
  const now = input.creationTime ?? new Date().toISOString();
  const auxImages = [];
  if (input.restored) {
    const auxId = randomUUID();
    const key = `aux/${companyId}/${auxId}.jpg`;
    await data.blobs.put(key, input.restored.bytes, 'image/jpeg');
    auxImages.push({
      id: auxId,
      companyId,
      imageId: id,
      auxImageType: 'selfie_front_face_restored',
      blobKey: key,
      width: input.restored.width,
      height: input.restored.height,
      creationTime: now,
    });
  }
  await data.store.images.saveAnalysis({
    imageId: id,
    results: input.results.map((r, i) => ({
      id: randomUUID(),
      companyId,
      imageId: id,
      applicationRunId: '',
      applicationId: '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7',
      algorithmVersionId: i + 1,
      algorithmFamilyTechName: r.algorithm_family_tech_name,
      algorithmTechName: r.algorithm_tech_name,
      isOk: r.is_ok,
      result: r.result,
      creationTime: now,
    })),
    auxImages,
    status: 'done',
    error: null,
  });
  return { datasetId, subjectId, batchId: batch.id, image: (await data.store.images.get(companyId, id))! };
}
