import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountsRepo } from '../ports/store.ts';
import type { Database } from './db-schema.ts';
import { nowIso, toCompany, toPrivateToken, toUser } from './rows.ts';

/** Companies, users and private tokens over Kysely. */
export function accountsQueries(db: Kysely<Database>): AccountsRepo {
  return {
    async createCompany(name) {
      const row = { id: randomUUID(), name, creation_time: nowIso() };
      await db.insertInto('companies').values(row).execute();
      return toCompany(row);
    },
    async getCompany(id) {
      const row = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toCompany(row);
    },
    async countUsers() {
      const { count } = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(count);
    },
    async createUser({ companyId, username, passwordHash }) {
      const row = {
        id: randomUUID(),
        company_id: companyId,
        username,
        password_hash: passwordHash,
        creation_time: nowIso(),
      };
      await db.insertInto('users').values(row).execute();
      return toUser(row);
    },
    async findUserByUsername(username) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async getUser(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async createPrivateToken(input) {
      const row = {
        id: randomUUID(),
        user_id: input.userId,
        company_id: input.companyId,
        name: input.name,
        token_hash: input.tokenHash,
        expiration_time: input.expirationTime,
        creation_time: nowIso(),
      };
      await db.insertInto('private_tokens').values(row).execute();
      return toPrivateToken(row);
    },
    async findPrivateTokenByHash(tokenHash) {
      const row = await db
        .selectFrom('private_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && toPrivateToken(row);
    },
    async listPrivateTokens(userId, { page, pageSize }) {
      const base = db.selectFrom('private_tokens').where('user_id', '=', userId);
      const { count } = await base
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      const rows = await base
        .selectAll()
        .orderBy('creation_time', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { count: Number(count), results: rows.map(toPrivateToken) };
    },
    async deletePrivateToken(userId, id) {
      const r = await db
        .deleteFrom('private_tokens')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
