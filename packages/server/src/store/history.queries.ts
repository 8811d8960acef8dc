import type { Kysely } from 'kysely';
import type { HistoryRepo } from '../ports/store.ts';
import type { Database } from './db-schema.ts';
import { toImage, toResult } from './rows.ts';

/** A subject's images and results over time, and the images retention applies to; company-scoped. */
export function historyQueries(db: Kysely<Database>): HistoryRepo {
  return {
    async subjectImages(companyId, subjectId, range) {
      let query = db
        .selectFrom('images')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('subject_id', '=', subjectId)
        .where('deleted_at', 'is', null);
      if (range.from !== undefined) query = query.where('creation_time', '>=', range.from);
      if (range.to !== undefined) query = query.where('creation_time', '<=', range.to);
      const rows = await query.orderBy('creation_time').orderBy('id').execute();
      return rows.map(toImage);
    },
    async resultsOfImages(companyId, imageIds) {
      if (imageIds.length === 0) return [];
      const rows = await db
        .selectFrom('results')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('image_id', 'in', imageIds)
        .orderBy('algorithm_version_id')
        .execute();
      return rows.map(toResult);
    },
    async datasetsWithRetention() {
      const rows = await db
        .selectFrom('datasets')
        .select([
          'id',
          'company_id',
          'expire_images_after_days',
          'expire_metadata_after_days',
          'clean_images_as_soon_as_ready',
        ])
        .where('deleted_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('expire_images_after_days', 'is not', null),
            eb('expire_metadata_after_days', 'is not', null),
            eb('clean_images_as_soon_as_ready', '=', 1),
          ]),
        )
        .execute();
      return rows.map((r) => ({
        id: r.id,
        companyId: r.company_id,
        expireImagesAfterDays: r.expire_images_after_days,
        expireMetadataAfterDays: r.expire_metadata_after_days,
        cleanImagesAsSoonAsReady: r.clean_images_as_soon_as_ready === 1,
      }));
    },
    async imagesWithPhoto(datasetId, filter, limit) {
      let query = db
        .selectFrom('images')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .where('deleted_at', 'is', null)
        .where('blob_key', 'is not', null);
      if (filter.createdBefore !== undefined) query = query.where('creation_time', '<', filter.createdBefore);
      if (filter.processed) query = query.where('status', 'in', ['done', 'failed']);
      const rows = await query.orderBy('creation_time').limit(limit).execute();
      return rows.map(toImage);
    },
    async imagesWithResults(datasetId, createdBefore, limit) {
      const rows = await db
        .selectFrom('images')
        .select('id')
        .where('dataset_id', '=', datasetId)
        .where('deleted_at', 'is', null)
        .where('creation_time', '<', createdBefore)
        .where((eb) =>
          eb.exists(
            eb.selectFrom('results').select('results.id').whereRef('results.image_id', '=', 'images.id'),
          ),
        )
        .orderBy('creation_time')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
