import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AlgorithmResultRecord, ImagesRepo } from '../ports/store.ts';
import type { Database, ImagesTable, ResultsTable } from './db-schema.ts';
import { nowIso, toAux, toImage, toResult, toResultJson } from './rows.ts';

/** Images, results and aux images over Kysely; reads are scoped by company. */
export function imagesQueries(db: Kysely<Database>): ImagesRepo {
  return {
    async create(input) {
      const row: ImagesTable = {
        id: input.id,
        company_id: input.companyId,
        dataset_id: input.datasetId,
        subject_id: input.subjectId,
        batch_id: input.batchId,
        side_id: input.sideId,
        light_id: input.lightId,
        blob_key: input.blobKey,
        width: input.width,
        height: input.height,
        format: input.format,
        status: input.status,
        application_run_ids: JSON.stringify(input.applicationRunIds),
        meta: JSON.stringify(input.meta),
        error: input.error,
        creation_time: nowIso(),
        attempt_id: null,
        attempt_until: null,
        deleted_at: null,
      };
      await db.insertInto('images').values(row).execute();
      return toImage(row);
    },
    async get(companyId, id) {
      const row = await db
        .selectFrom('images')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return row && toImage(row);
    },
    async getForProcessing(id) {
      const row = await db
        .selectFrom('images')
        .selectAll()
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return row && toImage(row);
    },
    async listByBatch(companyId, batchId) {
      const rows = await db
        .selectFrom('images')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('batch_id', '=', batchId)
        .where('deleted_at', 'is', null)
        .orderBy('side_id')
        .execute();
      return rows.map(toImage);
    },
    async idsByStatus(statuses, limit) {
      const rows = await db
        .selectFrom('images')
        .select('id')
        .where('status', 'in', statuses)
        .where('deleted_at', 'is', null)
        .orderBy('creation_time')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async update(id, patch) {
      const values: Partial<ImagesTable> = {};
      if (patch.status !== undefined) values.status = patch.status;
      if (patch.blobKey !== undefined) values.blob_key = patch.blobKey;
      if (patch.width !== undefined) values.width = patch.width;
      if (patch.height !== undefined) values.height = patch.height;
      if (patch.format !== undefined) values.format = patch.format;
      if (patch.error !== undefined) values.error = patch.error;
      if (patch.applicationRunIds !== undefined)
        values.application_run_ids = JSON.stringify(patch.applicationRunIds);
      if (Object.keys(values).length > 0)
        await db.updateTable('images').set(values).where('id', '=', id).execute();
    },
    async startAttempt(imageId, attemptId, until) {
      await db
        .updateTable('images')
        .set({ status: 'processing', attempt_id: attemptId, attempt_until: until })
        .where('id', '=', imageId)
        .execute();
    },
    async renewAttempt(imageId, attemptId, until) {
      await db
        .updateTable('images')
        .set({ attempt_until: until })
        .where('id', '=', imageId)
        .where('attempt_id', '=', attemptId)
        .execute();
    },
    async saveAnalysis({ imageId, attemptId, keepAppended, results, auxImages, status, error }) {
      return db.transaction().execute(async (trx) => {
        const image = await trx
          .selectFrom('images')
          .select('attempt_id')
          .where('id', '=', imageId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (!image || (attemptId !== undefined && image.attempt_id !== attemptId)) return false;
        const attempt = attemptId ?? randomUUID();
        let stale = trx.deleteFrom('results').where('image_id', '=', imageId);
        if (keepAppended && attemptId !== undefined)
          stale = stale.where((eb) =>
            eb.or([eb('attempt_id', 'is', null), eb('attempt_id', '!=', attemptId)]),
          );
        await stale.execute();
        await trx.deleteFrom('aux_images').where('image_id', '=', imageId).execute();
        if (results.length)
          await trx
            .insertInto('results')
            .values(results.map((r) => toResultRow({ ...r, attemptId: attempt })))
            .execute();
        for (const a of auxImages) {
          await trx
            .insertInto('aux_images')
            .values({
              id: a.id,
              company_id: a.companyId,
              image_id: a.imageId,
              aux_image_type: a.auxImageType,
              blob_key: a.blobKey,
              width: a.width,
              height: a.height,
              creation_time: a.creationTime || nowIso(),
            })
            .execute();
        }
        await trx
          .updateTable('images')
          .set({ status, error, attempt_id: attempt, attempt_until: null })
          .where('id', '=', imageId)
          .execute();
        return true;
      });
    },
    async appendResults(results) {
      const imageId = results[0]?.imageId;
      if (!imageId) return;
      await db.transaction().execute(async (trx) => {
        const live = await trx
          .selectFrom('images')
          .select('id')
          .where('id', '=', imageId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        if (live) await trx.insertInto('results').values(results.map(toResultRow)).execute();
      });
    },
    async listResults(companyId, imageId) {
      return (await currentResultRows(db, companyId, imageId)).map(toResult);
    },
    async listResultsJson(companyId, imageId) {
      return (await currentResultRows(db, companyId, imageId)).map(toResultJson);
    },
    async listAuxImages(companyId, imageId) {
      const rows = await db
        .selectFrom('aux_images')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('image_id', '=', imageId)
        .execute();
      return rows.map(toAux);
    },
    async getAuxImage(companyId, id) {
      let query = db
        .selectFrom('aux_images')
        .innerJoin('images', 'images.id', 'aux_images.image_id')
        .selectAll('aux_images')
        .where('aux_images.id', '=', id)
        .where('images.deleted_at', 'is', null);
      if (companyId !== null) query = query.where('aux_images.company_id', '=', companyId);
      const row = await query.executeTakeFirst();
      return row && toAux(row);
    },
  };
}

function toResultRow(r: AlgorithmResultRecord): ResultsTable {
  return {
    id: r.id,
    company_id: r.companyId,
    image_id: r.imageId,
    application_run_id: r.applicationRunId,
    application_id: r.applicationId,
    algorithm_version_id: r.algorithmVersionId,
    algorithm_family_tech_name: r.algorithmFamilyTechName,
    algorithm_tech_name: r.algorithmTechName,
    is_ok: r.isOk ? 1 : 0,
    result: JSON.stringify(r.result),
    creation_time: r.creationTime,
    attempt_id: r.attemptId ?? null,
  };
}

/**
 * The result rows a client reads (see ImagesRepo.listResults): the image's current attempt's, none
 * while an attempt in progress has lapsed; ordered by algorithm.
 */
async function currentResultRows(db: Kysely<Database>, companyId: string, imageId: string) {
  const image = await db
    .selectFrom('images')
    .select(['attempt_id', 'attempt_until', 'status'])
    .where('company_id', '=', companyId)
    .where('id', '=', imageId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!image) return [];
  const abandoned =
    image.status === 'processing' && (image.attempt_until === null || image.attempt_until < nowIso());
  if (abandoned) return [];
  let query = db
    .selectFrom('results')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('image_id', '=', imageId);
  query =
    image.attempt_id === null
      ? query.where('attempt_id', 'is', null)
      : query.where('attempt_id', '=', image.attempt_id);
  return query.orderBy('algorithm_version_id').execute();
}
