import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { S3RVER_CREDENTIALS, type Service, startS3 } from '../testing/services.ts';
import { blobStoreContract } from './blob-store.contract.ts';
import { localBlobStore } from './local.blob-store.ts';
import { s3BlobStore } from './s3.blob-store.ts';

const BUCKET = 'contract';
let s3: Service;
before(async () => {
  s3 = await startS3(BUCKET);
});
after(() => s3?.destroy());

blobStoreContract({
  name: 'local folder',
  presigns: false,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'skinscope-blobs-'));
    return { blobs: localBlobStore(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
  },
});

blobStoreContract({
  name: 'S3 (s3rver, path-style)',
  presigns: true,
  async open() {
    const blobs = s3BlobStore({
      bucket: BUCKET,
      endpoint: s3.url,
      region: 'us-east-1',
      forcePathStyle: true,
      prefix: `${randomUUID().slice(0, 8)}/`,
      credentials: S3RVER_CREDENTIALS,
    });
    return { blobs, close: async () => blobs.close() };
  },
});
