import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createCompany, openAdminStore } from '../admin.ts';
import { localBlobStore } from '../blob/local.blob-store.ts';
import { s3BlobStore } from '../blob/s3.blob-store.ts';
import { sqlJobQueue } from '../queue/sql.job-queue.ts';
import {
  createDatabase,
  S3RVER_CREDENTIALS,
  type Service,
  startPostgres,
  startS3,
} from '../testing/services.ts';
import { kyselyStore } from './kysely.store.ts';
import { openPostgresDatabase, postgresStore } from './postgres.store.ts';
import { openSqliteDatabase } from './sqlite.store.ts';
import { storeContract } from './store.contract.ts';

const BUCKET = 'store-contract';
let postgres: Service;
let s3: Service;
before(async () => {
  [postgres, s3] = await Promise.all([startPostgres(), startS3(BUCKET)]);
});
after(async () => {
  await Promise.all([postgres?.destroy(), s3?.destroy()]);
});

storeContract({
  name: 'SQLite with a local folder',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'skinscope-store-'));
    const db = await openSqliteDatabase(join(dir, 'db.sqlite'));
    return {
      store: kyselyStore(db),
      blobs: localBlobStore(join(dir, 'blobs')),
      queue: sqlJobQueue(db),
      async close() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});

storeContract({
  name: 'PostgreSQL with S3',
  async open() {
    const db = await openPostgresDatabase(await createDatabase(postgres, `s_${randomUUID().slice(0, 8)}`));
    const blobs = s3BlobStore({
      bucket: BUCKET,
      endpoint: s3.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
    return {
      store: postgresStore(db),
      blobs,
      queue: sqlJobQueue(db),
      async close() {
        blobs.close();
        await db.destroy();
      },
    };
  },
});

test('skinscope admin opens the configured PostgreSQL, not the data folder', async () => {
  const url = await createDatabase(postgres, `a_${randomUUID().slice(0, 8)}`);
  const admin = await openAdminStore({
    SKINSCOPE_DATABASE_URL: url,
    SKINSCOPE_DATA_DIR: '/nonexistent/never',
  });
  const company = await createCompany(admin.store, 'Made by admin');
  await admin.close();
  const db = await openPostgresDatabase(url);
  try {
    assert.equal((await postgresStore(db).accounts.getCompany(company.id))?.name, 'Made by admin');
  } finally {
    await db.destroy();
  }
});
