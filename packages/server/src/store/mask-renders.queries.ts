import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { MaskRender, MaskRendersRepo } from '../ports/store.ts';
import type { Database, MaskRendersTable } from './db-schema.ts';
import { nowIso } from './rows.ts';

const toRender = (r: Selectable<MaskRendersTable>): MaskRender => ({
  id: r.id,
  companyId: r.company_id,
  imageId: r.image_id,
  cacheKey: r.cache_key,
  blobKey: r.blob_key,
  contentType: r.content_type,
  creationTime: r.creation_time,
});

/** The mask render cache's rows over Kysely (the bytes are in the BlobStore). */
export function maskRendersQueries(db: Kysely<Database>): MaskRendersRepo {
  const get = async (companyId: string, imageId: string, cacheKey: string) => {
    const row = await db
      .selectFrom('mask_renders')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('image_id', '=', imageId)
      .where('cache_key', '=', cacheKey)
      .executeTakeFirst();
    return row && toRender(row);
  };
  return {
    get,
    async record(input) {
      const row = {
        id: randomUUID(),
        company_id: input.companyId,
        image_id: input.imageId,
        cache_key: input.cacheKey,
        blob_key: input.blobKey,
        content_type: input.contentType,
        creation_time: nowIso(),
      };
      await db
        .insertInto('mask_renders')
        .values(row)
        .onConflict((oc) => oc.columns(['image_id', 'cache_key']).doNothing())
        .execute();
      const stored = await get(input.companyId, input.imageId, input.cacheKey);
      if (!stored)
        throw new Error(`mask render ${input.cacheKey} of image ${input.imageId} was not recorded`);
      return stored;
    },
    async listByImage(companyId, imageId) {
      const rows = await db
        .selectFrom('mask_renders')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('image_id', '=', imageId)
        .orderBy('creation_time')
        .execute();
      return rows.map(toRender);
    },
    async deleteByImage(companyId, imageId) {
      const result = await db
        .deleteFrom('mask_renders')
        .where('company_id', '=', companyId)
        .where('image_id', '=', imageId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
