import type { Kysely, Transaction } from 'kysely';
import type { DeletionRepo, DeletionTarget } from '../ports/store.ts';
import type { Database } from './db-schema.ts';
import { nowIso, toImage } from './rows.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Marks the target and every row under it; answers false when the target is not this company's. */
async function markTarget(trx: Db, companyId: string, target: DeletionTarget, at: string): Promise<boolean> {
  const mark = { deleted_at: at };
  switch (target.level) {
    case 'dataset': {
      const r = await trx
        .updateTable('datasets')
        .set(mark)
        .where('company_id', '=', companyId)
        .where('id', '=', target.datasetId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      for (const table of ['subjects', 'batches', 'images'] as const) {
        await trx
          .updateTable(table)
          .set(mark)
          .where('company_id', '=', companyId)
          .where('dataset_id', '=', target.datasetId)
          .where('deleted_at', 'is', null)
          .execute();
      }
      return true;
    }
    case 'subjects': {
      if (target.subjectIds.length === 0) return false;
      const r = await trx
        .updateTable('subjects')
        .set(mark)
        .where('company_id', '=', companyId)
        .where('dataset_id', '=', target.datasetId)
        .where('id', 'in', target.subjectIds)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      for (const table of ['batches', 'images'] as const) {
        await trx
          .updateTable(table)
          .set(mark)
          .where('company_id', '=', companyId)
          .where('dataset_id', '=', target.datasetId)
          .where('subject_id', 'in', target.subjectIds)
          .where('deleted_at', 'is', null)
          .execute();
      }
      return true;
    }
    case 'batch': {
      const r = await trx
        .updateTable('batches')
        .set(mark)
        .where('company_id', '=', companyId)
        .where('subject_id', '=', target.subjectId)
        .where('id', '=', target.batchId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await trx
        .updateTable('images')
        .set(mark)
        .where('company_id', '=', companyId)
        .where('batch_id', '=', target.batchId)
        .where('deleted_at', 'is', null)
        .execute();
      return true;
    }
    case 'image': {
      const r = await trx
        .updateTable('images')
        .set(mark)
        .where('company_id', '=', companyId)
        .where('id', '=', target.imageId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    }
  }
}

/** Marking and purging of deleted rows over Kysely (portable SQL: SQLite and PostgreSQL). */
export function deletionQueries(db: Kysely<Database>): DeletionRepo {
  return {
    mark(companyId, target) {
      return db.transaction().execute((trx) => markTarget(trx, companyId, target, nowIso()));
    },
    async markedImages(limit) {
      const rows = await db
        .selectFrom('images')
        .selectAll()
        .where('deleted_at', 'is not', null)
        .orderBy('deleted_at')
        .limit(limit)
        .execute();
      return rows.map(toImage);
    },
    async blobKeys(imageId) {
      const image = await db
        .selectFrom('images')
        .select('blob_key')
        .where('id', '=', imageId)
        .executeTakeFirst();
      const aux = await db
        .selectFrom('aux_images')
        .select('blob_key')
        .where('image_id', '=', imageId)
        .execute();
      return [image?.blob_key, ...aux.map((a) => a.blob_key)].filter((k): k is string => !!k);
    },
    async purgeImageRows(imageId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('results').where('image_id', '=', imageId).execute();
        await trx.deleteFrom('aux_images').where('image_id', '=', imageId).execute();
        await trx.deleteFrom('webhook_deliveries').where('image_id', '=', imageId).execute();
        // Jobs of the table queue that name the image (analysis, webhook deliveries).
        await trx.deleteFrom('jobs').where('image_id', '=', imageId).execute();
        await trx.deleteFrom('images').where('id', '=', imageId).execute();
      });
    },
    async purgeEmptyParents() {
      let removed = 0;
      await db.transaction().execute(async (trx) => {
        // A row created under a parent while the parent was being marked (an upload racing a delete).
        const at = nowIso();
        await trx
          .updateTable('batches')
          .set({ deleted_at: at })
          .where('deleted_at', 'is', null)
          .where((eb) =>
            eb.or([
              eb(
                'subject_id',
                'in',
                eb.selectFrom('subjects').select('id').where('deleted_at', 'is not', null),
              ),
              eb(
                'dataset_id',
                'in',
                eb.selectFrom('datasets').select('id').where('deleted_at', 'is not', null),
              ),
            ]),
          )
          .execute();
        await trx
          .updateTable('images')
          .set({ deleted_at: at })
          .where('deleted_at', 'is', null)
          .where((eb) =>
            eb.or([
              eb('batch_id', 'in', eb.selectFrom('batches').select('id').where('deleted_at', 'is not', null)),
              eb(
                'subject_id',
                'in',
                eb.selectFrom('subjects').select('id').where('deleted_at', 'is not', null),
              ),
              eb(
                'dataset_id',
                'in',
                eb.selectFrom('datasets').select('id').where('deleted_at', 'is not', null),
              ),
            ]),
          )
          .execute();
        const batches = await trx
          .deleteFrom('batches')
          .where('deleted_at', 'is not', null)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('images').select('images.id').whereRef('images.batch_id', '=', 'batches.id'),
              ),
            ),
          )
          .executeTakeFirst();
        const subjects = await trx
          .deleteFrom('subjects')
          .where('deleted_at', 'is not', null)
          .where((eb) =>
            eb.not(
              eb.or([
                eb.exists(
                  eb
                    .selectFrom('images')
                    .select('images.id')
                    .whereRef('images.subject_id', '=', 'subjects.id'),
                ),
                eb.exists(
                  eb
                    .selectFrom('batches')
                    .select('batches.id')
                    .whereRef('batches.subject_id', '=', 'subjects.id'),
                ),
              ]),
            ),
          )
          .executeTakeFirst();
        const gone = await trx
          .selectFrom('datasets')
          .select('id')
          .where('deleted_at', 'is not', null)
          .where((eb) =>
            eb.not(
              eb.or([
                eb.exists(
                  eb
                    .selectFrom('images')
                    .select('images.id')
                    .whereRef('images.dataset_id', '=', 'datasets.id'),
                ),
                eb.exists(
                  eb
                    .selectFrom('subjects')
                    .select('subjects.id')
                    .whereRef('subjects.dataset_id', '=', 'datasets.id'),
                ),
                eb.exists(
                  eb
                    .selectFrom('batches')
                    .select('batches.id')
                    .whereRef('batches.dataset_id', '=', 'datasets.id'),
                ),
              ]),
            ),
          )
          .execute();
        const ids = gone.map((d) => d.id);
        if (ids.length > 0) {
          await trx.deleteFrom('webhook_deliveries').where('dataset_id', 'in', ids).execute();
          await trx.deleteFrom('webhooks').where('dataset_id', 'in', ids).execute();
          await trx.deleteFrom('application_runs').where('dataset_id', 'in', ids).execute();
          await trx.deleteFrom('datasets').where('id', 'in', ids).execute();
        }
        removed = Number(batches.numDeletedRows) + Number(subjects.numDeletedRows) + ids.length;
      });
      return removed;
    },
    async forgetPhoto(imageId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('aux_images').where('image_id', '=', imageId).execute();
        await trx.updateTable('images').set({ blob_key: null }).where('id', '=', imageId).execute();
      });
    },
    async clearMetadata(companyId, subjectId) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('subjects')
          .set({ meta: '{}', birth_date: null, biological_sex: null })
          .where('company_id', '=', companyId)
          .where('id', '=', subjectId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
        await trx
          .updateTable('images')
          .set({ meta: '{}' })
          .where('company_id', '=', companyId)
          .where('subject_id', '=', subjectId)
          .execute();
        return true;
      });
    },
    async purgeResults(imageId) {
      await db.deleteFrom('results').where('image_id', '=', imageId).execute();
    },
  };
}
