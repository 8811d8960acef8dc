import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './db-schema.ts';
import { migrateToLatest } from './migrations.ts';
import { withStatementCache } from './statement-cache.ts';

export { kyselyStore } from './kysely.store.ts';

/**
 * Opens (creating if needed) the SQLite database file at `path`, in WAL mode so the CLI can write
 * while the server runs, and migrates it to the latest schema. Statements are prepared once
 * (statement-cache.ts).
 */
export async function openSqliteDatabase(path: string): Promise<Kysely<Database>> {
  mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  return db;
}
