import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { localBlobStore } from './blob/local.blob-store.ts';
import type { BlobStore } from './ports/blob-store.ts';
import type { JobQueue } from './ports/job-queue.ts';
import type { Store } from './ports/store.ts';
import { sqlJobQueue } from './queue/sql.job-queue.ts';
import type { Database } from './store/db-schema.ts';
import { kyselyStore, openSqliteDatabase } from './store/sqlite.store.ts';

/** The embedded default storage in one folder: `skinscope.db` (SQLite), `blobs/` and `secret.key`. */
export interface DataDir {
  db: Kysely<Database>;
  store: Store;
  queue: JobQueue;
  blobs: BlobStore;
  /** The configured secret, else the one generated into `secret.key` on first use. */
  secret: string;
  close(): Promise<void>;
}

/** Creates the data folder if needed and makes it private: mode 0700 (only the server's user). */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * Makes the SQLite files private (mode 0600) before SQLite opens them: the database is created
 * empty with that mode (SQLite gives its WAL and shared-memory files the database's mode), and
 * files left by an older version are narrowed.
 */
function privateDatabaseFiles(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/** Reads the secret from `<dir>/secret.key`, creating it (mode 0600) on first use. */
export function dataDirSecret(dir: string): string {
  const path = join(dir, 'secret.key');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    privateDir(dir);
    const secret = randomBytes(48).toString('base64url');
    try {
      writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(path, 'utf8').trim();
    }
  }
}

/**
 * Opens (creating and migrating) the data folder shared by the server and `skinscope admin`. The
 * folder and everything in it are private to the server's user: folders 0700, files 0600.
 */
export async function openDataDir(dir: string, secret?: string): Promise<DataDir> {
  privateDir(dir);
  const dbPath = join(dir, 'skinscope.db');
  privateDatabaseFiles(dbPath);
  const db = await openSqliteDatabase(dbPath);
  const store = kyselyStore(db);
  const queue = sqlJobQueue(db);
  return {
    db,
    store,
    queue,
    blobs: localBlobStore(join(dir, 'blobs')),
    secret: secret ?? dataDirSecret(dir),
    async close() {
      await queue.close();
      await store.close();
    },
  };
}
