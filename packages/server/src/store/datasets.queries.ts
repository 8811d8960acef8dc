import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApplicationRun, DatasetsRepo } from '../ports/store.ts';
import type { Database, DatasetsTable } from './db-schema.ts';
import { nowIso, toDataset, toRun } from './rows.ts';

/** Datasets and application runs over Kysely; every query is scoped by company. */
export function datasetsQueries(db: Kysely<Database>): DatasetsRepo {
  const get = async (companyId: string, id: string) => {
    const row = await db
      .selectFrom('datasets')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && toDataset(row);
  };
  return {
    async create(companyId, input) {
      const row: DatasetsTable = {
        id: randomUUID(),
        company_id: companyId,
        name: input.name,
        image_type_id: input.imageTypeId,
        expire_images_after_days: input.expireImagesAfterDays,
        expire_metadata_after_days: input.expireMetadataAfterDays,
        clean_images_as_soon_as_ready: input.cleanImagesAsSoonAsReady ? 1 : 0,
        creation_time: nowIso(),
        deleted_at: null,
      };
      await db.insertInto('datasets').values(row).execute();
      return toDataset(row);
    },
    get,
    async list(companyId, { page, pageSize }, q) {
      let base = db
        .selectFrom('datasets')
        .where('company_id', '=', companyId)
        .where('deleted_at', 'is', null);
      // lower() on both sides: `like` is case-insensitive on SQLite but not on PostgreSQL.
      if (q)
        base = base.where((eb) =>
          eb(eb.fn('lower', ['name']), 'like', `%${q.replace(/[%_\\]/g, '').toLowerCase()}%`),
        );
      const { count } = await base
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy('creation_time', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { count: Number(count), results: rows.map(toDataset) };
    },
    async update(companyId, id, patch) {
      const values: Partial<DatasetsTable> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.imageTypeId !== undefined) values.image_type_id = patch.imageTypeId;
      if (patch.expireImagesAfterDays !== undefined)
        values.expire_images_after_days = patch.expireImagesAfterDays;
      if (patch.expireMetadataAfterDays !== undefined)
        values.expire_metadata_after_days = patch.expireMetadataAfterDays;
      if (patch.cleanImagesAsSoonAsReady !== undefined)
        values.clean_images_as_soon_as_ready = patch.cleanImagesAsSoonAsReady ? 1 : 0;
      if (Object.keys(values).length > 0) {
        await db
          .updateTable('datasets')
          .set(values)
          .where('company_id', '=', companyId)
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .execute();
      }
      return get(companyId, id);
    },
    async attachApplication(companyId, input) {
      const row = {
        id: randomUUID(),
        company_id: companyId,
        application_id: input.applicationId,
        dataset_id: input.datasetId,
        enabled_algorithms: input.enabledAlgorithms === null ? null : JSON.stringify(input.enabledAlgorithms),
        creation_time: nowIso(),
      };
      await db.insertInto('application_runs').values(row).execute();
      return toRun(row);
    },
    async activeRuns(companyId, datasetId) {
      const rows = await db
        .selectFrom('application_runs')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('dataset_id', '=', datasetId)
        .orderBy('creation_time', 'desc')
        .orderBy('id')
        .execute();
      const latest = new Map<string, ApplicationRun>();
      for (const row of rows) if (!latest.has(row.application_id)) latest.set(row.application_id, toRun(row));
      return [...latest.values()];
    },
    async getRun(companyId, id) {
      const row = await db
        .selectFrom('application_runs')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRun(row);
    },
  };
}
