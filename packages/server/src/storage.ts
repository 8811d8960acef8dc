import { join } from 'node:path';
import { localBlobStore } from './blob/local.blob-store.ts';
import { s3BlobStore } from './blob/s3.blob-store.ts';
import type { Config } from './config.ts';
import { type DataDir, dataDirSecret, openDataDir, privateDir } from './data-dir.ts';
import { guardOutages } from './ports/dependency-error.ts';
import type { JobQueue } from './ports/job-queue.ts';
import { bullmqJobQueue } from './queue/bullmq.job-queue.ts';
import { sqlJobQueue } from './queue/sql.job-queue.ts';
import { isPostgresOutage, openPostgresDatabase, postgresStore } from './store/postgres.store.ts';

/**
 * Opens the Store, JobQueue and BlobStore the configuration names: the embedded default (SQLite, the
 * job table and the `blobs/` folder, all in the data folder) unless PostgreSQL, Redis or S3 is
 * configured. `leaseMs` is the job lease (BullMQ's lock duration).
 */
export async function openStorage(config: Config, leaseMs: number): Promise<DataDir> {
  if (config.database.kind === 'sqlite' && config.queue.kind === 'table' && config.blobs.kind === 'local') {
    return openDataDir(config.dataDir, config.secret);
  }
  privateDir(config.dataDir);
  const embedded =
    config.database.kind === 'sqlite' ? await openDataDir(config.dataDir, config.secret) : undefined;
  const db =
    embedded?.db ??
    (await openPostgresDatabase((config.database as { url: string }).url, poolSizeOf(config)));
  const store = embedded?.store ?? postgresStore(db);
  const queue: JobQueue =
    config.queue.kind === 'bullmq'
      ? bullmqJobQueue({ url: config.queue.url, name: config.queue.name, leaseMs })
      : embedded
        ? embedded.queue
        : guardOutages(sqlJobQueue(db), 'database', isPostgresOutage);
  const blobs =
    config.blobs.kind === 's3'
      ? s3BlobStore(config.blobs)
      : embedded
        ? embedded.blobs
        : localBlobs(config.dataDir);
  return {
    db,
    store,
    queue,
    blobs,
    secret: config.secret ?? embedded?.secret ?? dataDirSecret(config.dataDir),
    async close() {
      await queue.close();
      blobs.close?.();
      await store.close();
    },
  };
}

const poolSizeOf = (config: Config) => (config.database.kind === 'postgres' ? config.database.poolSize : 1);

function localBlobs(dataDir: string) {
  return localBlobStore(join(dataDir, 'blobs'));
}
