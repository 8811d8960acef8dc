import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Store } from '../ports/store.ts';
import { accountsQueries } from './accounts.queries.ts';
import { apiKeysQueries } from './api-keys.queries.ts';
import { datasetsQueries } from './datasets.queries.ts';
import type { Database } from './db-schema.ts';
import { deletionQueries } from './deletion.queries.ts';
import { historyQueries } from './history.queries.ts';
import { imagesQueries } from './images.queries.ts';
import { maskRendersQueries } from './mask-renders.queries.ts';
import { migrateToLatest } from './migrations.ts';
import { sessionsQueries } from './sessions.queries.ts';
import { subjectsQueries } from './subjects.queries.ts';
import { webhooksQueries } from './webhooks.queries.ts';

/** A Store over Kysely (the one query layer every SQL adapter shares). */
export function kyselyStore(db: Kysely<Database>): Store {
  return {
    accounts: accountsQueries(db),
    sessions: sessionsQueries(db),
    apiKeys: apiKeysQueries(db),
    maskRenders: maskRendersQueries(db),
    datasets: datasetsQueries(db),
    subjects: subjectsQueries(db),
    images: imagesQueries(db),
    deletion: deletionQueries(db),
    history: historyQueries(db),
    webhooks: webhooksQueries(db),
    close: () => db.destroy(),
  };
}

/**
 * Opens (creating if needed) the SQLite database file at `path`, in WAL mode so the CLI can write
 * while the server runs, and migrates it to the latest schema.
 */
export async function openSqliteDatabase(path: string): Promise<Kysely<Database>> {
  mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  return db;
}
