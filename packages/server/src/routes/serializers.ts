import type { FastifyRequest } from 'fastify';
import { FACE_SKIN_METRICS_2 } from '../catalog/catalog.ts';
import type {
  AlgorithmResultJson,
  AlgorithmResultRecord,
  AuxImage,
  Batch,
  Dataset,
  ImageRecord,
  Page,
  PageQuery,
  Subject,
} from '../ports/store.ts';

/** Wire formats of the Haut.AI v1 API: snake_case, times as "YYYY-MM-DD HH:MM:SS" (UTC). */
export const wireTime = (iso: string): string => iso.replace('T', ' ').slice(0, 19);

export function pageQuery(query: { page?: number; page_size?: number }): PageQuery {
  return { page: query.page ?? 1, pageSize: query.page_size ?? 50 };
}

/** A paginated list: `{count, next, previous, results}`. */
export function pageOut<T, U>(request: FastifyRequest, q: PageQuery, page: Page<T>, map: (t: T) => U) {
  const link = (n: number) => {
    const url = new URL(request.url, 'http://x');
    url.searchParams.set('page', String(n));
    url.searchParams.set('page_size', String(q.pageSize));
    return `${url.pathname}${url.search}`;
  };
  return {
    count: page.count,
    next: q.page * q.pageSize < page.count ? link(q.page + 1) : null,
    previous: q.page > 1 ? link(q.page - 1) : null,
    results: page.results.map(map),
  };
}

export const datasetOut = (d: Dataset) => ({
  id: d.id,
  name: d.name,
  company_id: d.companyId,
  image_type_id: d.imageTypeId,
  expire_images_after_days: d.expireImagesAfterDays,
  expire_metadata_after_days: d.expireMetadataAfterDays,
  clean_images_as_soon_as_ready: d.cleanImagesAsSoonAsReady,
  creation_time: wireTime(d.creationTime),
});

export const subjectOut = (s: Subject, dataset?: Dataset) => ({
  id: s.id,
  name: s.name,
  birth_date: s.birthDate,
  biological_sex: s.biologicalSex,
  meta: s.meta,
  author_id: s.authorId,
  creation_time: wireTime(s.creationTime),
  company: { id: s.companyId },
  dataset: { id: s.datasetId, name: dataset?.name ?? null },
  dataset_id: s.datasetId,
  promote_image_id: null,
});

export const batchOut = (b: Batch) => ({
  id: b.id,
  subject_id: b.subjectId,
  dataset_id: b.datasetId,
  creation_time: wireTime(b.creationTime),
});

export const imageOut = (i: ImageRecord) => ({
  id: i.id,
  image_batch_id: i.batchId,
  batch_id: i.batchId,
  subject_id: i.subjectId,
  dataset_id: i.datasetId,
  side_id: i.sideId,
  light_id: i.lightId,
  width: i.width,
  height: i.height,
  format: i.format,
  status: i.status,
  error: i.error,
  meta: i.meta,
  creation_time: wireTime(i.creationTime),
});

/** One element of `.../images/{i}/results/`, in the shape of the seed's example. */
export const resultOut = (r: AlgorithmResultRecord) => ({
  id: r.id,
  is_ok: r.isOk,
  image_id: r.imageId,
  algorithm_version_id: r.algorithmVersionId,
  algorithm_family_tech_name: r.algorithmFamilyTechName,
  algorithm_tech_name: r.algorithmTechName,
  application_id: r.applicationId,
  application_name: FACE_SKIN_METRICS_2.name,
  application_description: FACE_SKIN_METRICS_2.description,
  application_run_id: r.applicationRunId || null,
  image_type: FACE_SKIN_METRICS_2.imageType,
  creation_time: wireTime(r.creationTime),
  result: r.result,
});

/**
 * `resultOut` with the stored result text in `resultJson` instead of `result`, for answers that
 * splice it in unparsed (resultsJsonBuffer).
 */
export function resultOutHead(r: AlgorithmResultJson) {
  const { result: _, ...head } = resultOut({ ...r, result: null });
  return { ...head, resultJson: r.resultJson };
}

/**
 * The UTF-8 JSON array of `resultOutHead`s: the same bytes as serialising their `resultOut`s (`result`
 * is each one's last key), built from buffers of the parts instead of one string. The stored result
 * text (up to ~50 KB each, ~150 KB an image) is neither parsed nor serialised again, nor copied into
 * a string of the whole answer, which V8 would make two-byte because of the application's description
 * and then encode to UTF-8 again.
 */
export function resultsJsonBuffer(results: readonly ReturnType<typeof resultOutHead>[]): Buffer {
  const parts: Buffer[] = [];
  for (const [i, { resultJson, ...head }] of results.entries()) {
    parts.push(
      Buffer.from(`${i ? '},' : '['}${JSON.stringify(head).slice(0, -1)},"result":`),
      Buffer.from(resultJson),
    );
  }
  parts.push(Buffer.from(results.length ? '}]' : '[]'));
  return Buffer.concat(parts);
}

export const auxOut = (a: AuxImage, url: string, results: AlgorithmResultRecord[]) => ({
  id: a.id,
  image_id: a.imageId,
  aux_image_type: { id: 1, name: a.auxImageType, tech_name: a.auxImageType },
  width: a.width,
  height: a.height,
  urls: { original: url },
  creation_time: wireTime(a.creationTime),
  results: results.map(resultOut),
});
