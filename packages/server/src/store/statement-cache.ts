import type { Database as SQLiteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Prepared statements kept per database (least recently used dropped beyond this). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's SqliteDialect sees it, with each SQL text prepared once: Kysely prepares
 * every query it runs, and on a busy server preparing costs about as much as running the query.
 * Kysely runs one query at a time on its single connection, so a cached statement is never in use
 * twice at once. Kysely writes parameters as `?`, so the distinct texts are few; the least recently
 * used beyond `size` are dropped.
 */
export function withStatementCache(database: SQLiteDatabase, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
