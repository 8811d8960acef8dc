import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionsRepo } from '../ports/store.ts';
import type { Database } from './db-schema.ts';
import { nowIso } from './rows.ts';

/** Login sessions (token families) and their single-use refresh tokens over Kysely. */
export function sessionsQueries(db: Kysely<Database>): SessionsRepo {
  return {
    async createFamily({ userId, companyId }) {
      const id = randomUUID();
      await db
        .insertInto('token_families')
        .values({ id, user_id: userId, company_id: companyId, revoked_at: null, creation_time: nowIso() })
        .execute();
      return id;
    },
    async isFamilyActive(id) {
      const row = await db
        .selectFrom('token_families')
        .select('revoked_at')
        .where('id', '=', id)
        .executeTakeFirst();
      return row !== undefined && row.revoked_at === null;
    },
    async revokeFamily(id) {
      await db
        .updateTable('token_families')
        .set({ revoked_at: nowIso() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async createRefreshToken({ familyId, expiresAt }) {
      const id = randomUUID();
      await db
        .insertInto('refresh_tokens')
        .values({ id, family_id: familyId, used_at: null, expires_at: expiresAt, creation_time: nowIso() })
        .execute();
      return id;
    },
    async useRefreshToken(id) {
      const row = await db
        .selectFrom('refresh_tokens')
        .select('family_id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      const marked = await db
        .updateTable('refresh_tokens')
        .set({ used_at: nowIso() })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return { familyId: row.family_id, firstUse: Number(marked.numUpdatedRows) === 1 };
    },
  };
}
