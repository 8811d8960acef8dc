import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKey, ApiKeysRepo } from '../ports/store.ts';
import type { ApiKeysTable, Database } from './db-schema.ts';
import { nowIso } from './rows.ts';

const toApiKey = (r: Selectable<ApiKeysTable>): ApiKey => ({
  id: r.id,
  companyId: r.company_id,
  name: r.name,
  keyHash: r.key_hash,
  expirationTime: r.expiration_time,
  creationTime: r.creation_time,
});

/** AILab-compatible API keys over Kysely. */
export function apiKeysQueries(db: Kysely<Database>): ApiKeysRepo {
  return {
    async create(input) {
      const row = {
        id: randomUUID(),
        company_id: input.companyId,
        name: input.name,
        key_hash: input.keyHash,
        expiration_time: input.expirationTime,
        creation_time: nowIso(),
      };
      await db.insertInto('api_keys').values(row).execute();
      return toApiKey(row);
    },
    async findByHash(keyHash) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .executeTakeFirst();
      return row && toApiKey(row);
    },
    async list(companyId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('company_id', '=', companyId)
        .orderBy('creation_time')
        .orderBy('id')
        .execute();
      return rows.map(toApiKey);
    },
    async delete(companyId, id) {
      const result = await db
        .deleteFrom('api_keys')
        .where('company_id', '=', companyId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
