import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Reads the secret from `<dir>/secret.key`, creating it (mode 0600) on first use. */
export function dataDirSecret(dir: string): string {
  const path = join(dir, 'secret.key');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    try {
      writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(path, 'utf8').trim();
    }
  }
}

/** Opens (creating and migrating) the data folder shared by the server and `skinscope admin`. */
export async function openDataDir(dir: string, secret?: string): Promise<DataDir> {
  const db = await openSqliteDatabase(join(dir, 'skinscope.db'));
  const store = kyselyStore(db);
  return {
    db,
    store,
    queue: sqlJobQueue(db),
    blobs: localBlobStore(join(dir, 'blobs')),
    secret: secret ?? dataDirSecret(dir),
    close: () => store.close(),
  };
}
