import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './statement-cache.ts';

describe('the SQLite statement cache', () => {
  it('prepares each SQL text once and drops the least recently used beyond its size', () => {
    const database = new SQLite(':memory:');
    const cached = withStatementCache(database, 2);
    const one = cached.prepare('SELECT 1 AS v');
    assert.equal(cached.prepare('SELECT 1 AS v'), one);
    const two = cached.prepare('SELECT 2 AS v');
    cached.prepare('SELECT 1 AS v');
    cached.prepare('SELECT 3 AS v');
    assert.equal(cached.prepare('SELECT 1 AS v'), one, 'recently used: kept');
    assert.notEqual(cached.prepare('SELECT 2 AS v'), two, 'least recently used: prepared again');
    cached.close();
    assert.equal(database.open, false);
  });

  it('gives Kysely the same rows as preparing every time, across writes and a schema change', async () => {
    const db = new Kysely<{ t: { id: number; name: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
    });
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .execute();
    const byId = (id: number) => db.selectFrom('t').selectAll().where('id', '=', id).executeTakeFirst();
    for (let id = 1; id <= 3; id++)
      await db
        .insertInto('t')
        .values({ id, name: `n${id}` })
        .execute();
    assert.deepEqual(await byId(2), { id: 2, name: 'n2' });
    assert.deepEqual(await byId(3), { id: 3, name: 'n3' });
    await db.updateTable('t').set({ name: 'changed' }).where('id', '=', 2).execute();
    assert.deepEqual(await byId(2), { id: 2, name: 'changed' });
    await sql`ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'`.execute(db);
    assert.deepEqual(await byId(2), { id: 2, name: 'changed', extra: 'x' });
    const streamed = [];
    for await (const row of db.selectFrom('t').select('id').orderBy('id').stream()) streamed.push(row.id);
    assert.deepEqual(streamed, [1, 2, 3]);
    await db.destroy();
  });
});
