import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SubjectsRepo } from '../ports/store.ts';
import type { Database, SubjectsTable } from './db-schema.ts';
import { nowIso, toBatch, toSubject } from './rows.ts';

/** Subjects and batches over Kysely; every query is scoped by company (and by parent). */
export function subjectsQueries(db: Kysely<Database>): SubjectsRepo {
  const get: SubjectsRepo['get'] = async (companyId, datasetId, id) => {
    let query = db
      .selectFrom('subjects')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null);
    if (datasetId !== null) query = query.where('dataset_id', '=', datasetId);
    const row = await query.executeTakeFirst();
    return row && toSubject(row);
  };
  return {
    async create(companyId, input) {
      const row: SubjectsTable = {
        id: randomUUID(),
        company_id: companyId,
        dataset_id: input.datasetId,
        name: input.name,
        birth_date: input.birthDate,
        biological_sex: input.biologicalSex,
        meta: JSON.stringify(input.meta),
        author_id: input.authorId,
        creation_time: nowIso(),
        deleted_at: null,
      };
      await db.insertInto('subjects').values(row).execute();
      return toSubject(row);
    },
    get,
    async list(companyId, datasetId, { page, pageSize }) {
      const base = db
        .selectFrom('subjects')
        .where('company_id', '=', companyId)
        .where('dataset_id', '=', datasetId)
        .where('deleted_at', 'is', null);
      const { count } = await base
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy('creation_time', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { count: Number(count), results: rows.map(toSubject) };
    },
    async update(companyId, datasetId, id, patch) {
      const values: Partial<SubjectsTable> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.birthDate !== undefined) values.birth_date = patch.birthDate;
      if (patch.biologicalSex !== undefined) values.biological_sex = patch.biologicalSex;
      if (patch.meta !== undefined) values.meta = JSON.stringify(patch.meta);
      if (Object.keys(values).length > 0) {
        await db
          .updateTable('subjects')
          .set(values)
          .where('company_id', '=', companyId)
          .where('dataset_id', '=', datasetId)
          .where('id', '=', id)
          .where('deleted_at', 'is', null)
          .execute();
      }
      return get(companyId, datasetId, id);
    },
    async createBatch(companyId, datasetId, subjectId) {
      const row = {
        id: randomUUID(),
        company_id: companyId,
        dataset_id: datasetId,
        subject_id: subjectId,
        creation_time: nowIso(),
        deleted_at: null,
      };
      await db.insertInto('batches').values(row).execute();
      return toBatch(row);
    },
    async getBatch(companyId, subjectId, id) {
      let query = db
        .selectFrom('batches')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null);
      if (subjectId !== null) query = query.where('subject_id', '=', subjectId);
      const row = await query.executeTakeFirst();
      return row && toBatch(row);
    },
    async listBatches(companyId, subjectId, { page, pageSize }) {
      let base = db.selectFrom('batches').where('company_id', '=', companyId).where('deleted_at', 'is', null);
      if (subjectId !== null) base = base.where('subject_id', '=', subjectId);
      const { count } = await base
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy('creation_time', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { count: Number(count), results: rows.map(toBatch) };
    },
  };
}
