import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BlobStore } from '../ports/blob-store.ts';

/** One adapter under test; `open` gives an empty store, `presigns` says whether it hands out direct URLs. */
export interface BlobStoreFactory {
  name: string;
  presigns: boolean;
  open(): Promise<{ blobs: BlobStore; close(): Promise<void> }>;
}

/** The BlobStore contract: every adapter passes the same tests, against a real folder or server. */
export function blobStoreContract(factory: BlobStoreFactory): void {
  const withStore = (fn: (blobs: BlobStore) => Promise<void>) => async () => {
    const { blobs, close } = await factory.open();
    try {
      await fn(blobs);
    } finally {
      await close();
    }
  };
  const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

  describe(`BlobStore contract: ${factory.name}`, () => {
    test(
      'put then get returns the same bytes; a second put replaces them; delete removes them',
      withStore(async (blobs) => {
        const key = 'images/company-1/img-1.jpg';
        const first = bytes(300_000, 1);
        await blobs.put(key, first, 'image/jpeg');
        assert.deepEqual(await blobs.get(key), first);
        const second = bytes(1234, 7);
        await blobs.put(key, second, 'image/jpeg');
        assert.deepEqual(await blobs.get(key), second);
        await blobs.delete(key);
        assert.equal(await blobs.get(key), undefined);
        await blobs.delete(key);
      }),
    );

    test(
      'a missing key reads as undefined; keys are separate objects',
      withStore(async (blobs) => {
        assert.equal(await blobs.get('aux/nobody/none.jpg'), undefined);
        await blobs.put('aux/c/a.jpg', bytes(10, 1), 'image/jpeg');
        await blobs.put('aux/c/b.jpg', bytes(10, 2), 'image/jpeg');
        await blobs.delete('aux/c/a.jpg');
        assert.equal(await blobs.get('aux/c/a.jpg'), undefined);
        assert.deepEqual(await blobs.get('aux/c/b.jpg'), bytes(10, 2));
      }),
    );

    test(
      'keys that could escape their place are refused',
      withStore(async (blobs) => {
        for (const key of ['../x.jpg', '/abs.jpg', 'a/../../b.jpg', 'a//b.jpg', '', 'a/.hidden']) {
          await assert.rejects(blobs.put(key, bytes(4, 0), 'image/jpeg'), /invalid blob key/, key);
        }
      }),
    );

    test(
      factory.presigns
        ? 'presigned URLs download and upload the object directly'
        : 'offers no presigned URLs (objects are served by the API)',
      withStore(async (blobs) => {
        assert.equal(typeof blobs.presign === 'function', factory.presigns);
        if (!blobs.presign) return;
        const key = 'images/company-2/direct.jpg';
        const body = bytes(5000, 3);
        await blobs.put(key, body, 'image/jpeg');
        const download = await fetch(await blobs.presign(key, 'GET', 60));
        assert.equal(download.status, 200);
        assert.deepEqual(new Uint8Array(await download.arrayBuffer()), body);
        const uploaded = bytes(777, 9);
        const upload = await fetch(await blobs.presign('images/company-2/put.jpg', 'PUT', 60, 'image/jpeg'), {
          method: 'PUT',
          headers: { 'content-type': 'image/jpeg' },
          body: uploaded,
        });
        assert.equal(upload.status, 200, await upload.text());
        assert.deepEqual(await blobs.get('images/company-2/put.jpg'), uploaded);
      }),
    );
  });
}
