import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createDeletionService } from '../deletion/deletion.service.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { JobQueue } from '../ports/job-queue.ts';
import type { AlgorithmResultRecord, ImageRecord, Store } from '../ports/store.ts';

/** One adapter under test: `open` gives an empty, migrated store with a blob store and the table queue beside it. */
export interface StoreFactory {
  name: string;
  open(): Promise<{ store: Store; blobs: BlobStore; queue: JobQueue; close(): Promise<void> }>;
}

const DATASET = {
  imageTypeId: 1,
  expireImagesAfterDays: null,
  expireMetadataAfterDays: null,
  cleanImagesAsSoonAsReady: false,
};

/** A subject with one batch of `n` images (bytes in the blob store, one result and one aux image each). */
async function seed(store: Store, blobs: BlobStore, companyId: string, datasetId: string, n: number) {
  const subject = await store.subjects.create(companyId, {
    datasetId,
    name: `subject ${randomUUID().slice(0, 4)}`,
    birthDate: null,
    biologicalSex: null,
    meta: { k: 'v' },
    authorId: null,
  });
  const batch = await store.subjects.createBatch(companyId, datasetId, subject.id);
  const images: ImageRecord[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    const blobKey = `images/${companyId}/${id}.jpg`;
    await blobs.put(blobKey, Uint8Array.of(1, 2, 3, i), 'image/jpeg');
    const image = await store.images.create({
      id,
      companyId,
      datasetId,
      subjectId: subject.id,
      batchId: batch.id,
      sideId: 1,
      lightId: 1,
      blobKey,
      width: 10,
      height: 10,
      format: 'jpeg',
      status: 'queued',
      applicationRunIds: [],
      meta: {},
      error: null,
    });
    const auxId = randomUUID();
    const auxKey = `aux/${companyId}/${auxId}.jpg`;
    await blobs.put(auxKey, Uint8Array.of(9), 'image/jpeg');
    const result: AlgorithmResultRecord = {
      id: randomUUID(),
      companyId,
      imageId: id,
      applicationRunId: '',
      applicationId: 'app',
      algorithmVersionId: 1,
      algorithmFamilyTechName: 'selfie_v2.quality',
      algorithmTechName: 'quality',
      isOk: true,
      result: { area_results: [] },
      creationTime: new Date().toISOString(),
    };
    await store.images.saveAnalysis({
      imageId: id,
      results: [result],
      auxImages: [
        {
          id: auxId,
          companyId,
          imageId: id,
          auxImageType: 'selfie_front_face_restored',
          blobKey: auxKey,
          width: 5,
          height: 5,
          creationTime: new Date().toISOString(),
        },
      ],
      status: 'done',
      error: null,
    });
    images.push(image);
  }
  return { subject, batch, images };
}

/** The Store contract: every adapter passes the same tests, against a real database. */
export function storeContract(factory: StoreFactory): void {
  const withStore = (fn: (s: Store, blobs: BlobStore, queue: JobQueue) => Promise<void>) => async () => {
    const { store, blobs, queue, close } = await factory.open();
    try {
      await fn(store, blobs, queue);
    } finally {
      await close();
    }
  };

  describe(`Store contract: ${factory.name}`, () => {
    test(
      'every read and write is scoped by company',
      withStore(async (store, blobs) => {
        const a = await store.accounts.createCompany('A');
        const b = await store.accounts.createCompany('B');
        const ds = await store.datasets.create(a.id, { name: 'Mine', ...DATASET });
        assert.equal((await store.datasets.get(a.id, ds.id))?.name, 'Mine');
        assert.equal(await store.datasets.get(b.id, ds.id), undefined);
        assert.equal(await store.datasets.update(b.id, ds.id, { name: 'x' }), undefined);
        assert.equal((await store.datasets.list(b.id, { page: 1, pageSize: 10 })).count, 0);
        const { images } = await seed(store, blobs, a.id, ds.id, 1);
        const image = images[0]!;
        assert.equal((await store.images.get(a.id, image.id))?.id, image.id);
        assert.equal(await store.images.get(b.id, image.id), undefined);
        assert.deepEqual(await store.images.listResults(b.id, image.id), []);
        assert.equal((await store.images.listResults(a.id, image.id)).length, 1);
        assert.equal(await store.deletion.mark(b.id, { level: 'image', imageId: image.id }), false);
      }),
    );

    test(
      'dataset search by name is case-insensitive and treats % and _ as text',
      withStore(async (store) => {
        const c = await store.accounts.createCompany('C');
        for (const name of ['Summer Trial', 'WINTER trial', 'Control', '100% sure'])
          await store.datasets.create(c.id, { name, ...DATASET });
        const names = async (q: string) =>
          (await store.datasets.list(c.id, { page: 1, pageSize: 50 }, q)).results.map((d) => d.name).sort();
        assert.deepEqual(await names('TRIAL'), ['Summer Trial', 'WINTER trial']);
        assert.deepEqual(await names('winter'), ['WINTER trial']);
        assert.deepEqual(await names('cOnTrOl'), ['Control']);
        assert.deepEqual(await names('%'), ['100% sure', 'Control', 'Summer Trial', 'WINTER trial']);
        assert.deepEqual(await names('nothing'), []);
      }),
    );

    test(
      'pages are bounded: count is the total, pages hold at most pageSize, past the end is empty',
      withStore(async (store) => {
        const c = await store.accounts.createCompany('P');
        for (let i = 0; i < 7; i++) {
          await store.datasets.create(c.id, { name: `d${i}`, ...DATASET });
          await new Promise((r) => setTimeout(r, 2));
        }
        const page = (n: number, size: number) => store.datasets.list(c.id, { page: n, pageSize: size });
        const p1 = await page(1, 3);
        const p3 = await page(3, 3);
        assert.equal(p1.count, 7);
        assert.deepEqual(
          p1.results.map((d) => d.name),
          ['d6', 'd5', 'd4'],
          'newest first',
        );
        assert.deepEqual(
          p3.results.map((d) => d.name),
          ['d0'],
        );
        assert.deepEqual((await page(4, 3)).results, []);
        assert.equal((await page(4, 3)).count, 7);
        assert.equal((await page(1, 100)).results.length, 7);
      }),
    );

    test(
      'deleting a dataset deletes every row and file under it, and its queued jobs; the other dataset stays',
      withStore(async (store, blobs, queue) => {
        const c = await store.accounts.createCompany('D');
        const gone = await store.datasets.create(c.id, { name: 'gone', ...DATASET });
        const kept = await store.datasets.create(c.id, { name: 'kept', ...DATASET });
        const doomed = await seed(store, blobs, c.id, gone.id, 2);
        const safe = await seed(store, blobs, c.id, kept.id, 1);
        const doomedKeys = (
          await Promise.all(doomed.images.map((i) => store.deletion.blobKeys(i.id)))
        ).flat();
        assert.equal(doomedKeys.length, 4, 'original and aux image of each');
        await queue.enqueue('analyze_image', { imageId: doomed.images[0]!.id });
        await queue.enqueue('analyze_image', { imageId: safe.images[0]!.id });
        const deletion = createDeletionService({ store, blobs });
        assert.equal(await deletion.delete(c.id, { level: 'dataset', datasetId: gone.id }), true);
        assert.equal(await store.datasets.get(c.id, gone.id), undefined);
        assert.equal(await store.subjects.get(c.id, null, doomed.subject.id), undefined);
        for (const image of doomed.images) {
          assert.equal(await store.images.getForProcessing(image.id), undefined);
          assert.deepEqual(await store.images.listResults(c.id, image.id), []);
          assert.deepEqual(await store.images.listAuxImages(c.id, image.id), []);
        }
        for (const key of doomedKeys) assert.equal(await blobs.get(key), undefined, key);
        assert.deepEqual(await store.deletion.markedImages(10), []);
        assert.equal(await queue.hasUnfinished(doomed.images[0]!.id), false, "the image's job is gone");
        assert.equal(await queue.hasUnfinished(safe.images[0]!.id), true);
        const survivor = safe.images[0]!;
        assert.equal((await store.images.get(c.id, survivor.id))?.status, 'done');
        assert.equal((await store.images.listResults(c.id, survivor.id)).length, 1);
        for (const key of await store.deletion.blobKeys(survivor.id)) assert.ok(await blobs.get(key), key);
      }),
    );

    test(
      'a superseded analysis attempt writes nothing; only the current attempt is read',
      withStore(async (store, blobs) => {
        const c = await store.accounts.createCompany('E');
        const ds = await store.datasets.create(c.id, { name: 'e', ...DATASET });
        const { images } = await seed(store, blobs, c.id, ds.id, 1);
        const image = images[0]!;
        const until = new Date(Date.now() + 60_000).toISOString();
        await store.images.startAttempt(image.id, 'old', until);
        await store.images.startAttempt(image.id, 'new', until);
        const row = (attemptId: string): AlgorithmResultRecord => ({
          id: randomUUID(),
          companyId: c.id,
          imageId: image.id,
          applicationRunId: '',
          applicationId: 'app',
          algorithmVersionId: 2,
          algorithmFamilyTechName: 'selfie_v2.pores',
          algorithmTechName: 'pores',
          isOk: true,
          result: { attemptId },
          creationTime: new Date().toISOString(),
          attemptId,
        });
        const save = (attemptId: string) =>
          store.images.saveAnalysis({
            imageId: image.id,
            attemptId,
            results: [row(attemptId)],
            auxImages: [],
            status: 'done',
            error: null,
          });
        assert.equal(await save('old'), false);
        assert.equal(await save('new'), true);
        const results = await store.images.listResults(c.id, image.id);
        assert.deepEqual(
          results.map((r) => r.result),
          [{ attemptId: 'new' }],
        );
      }),
    );

    test(
      "saveAnalysis with keepAppended keeps the rows its attempt appended and removes every other attempt's",
      withStore(async (store, blobs) => {
        const c = await store.accounts.createCompany('K');
        const ds = await store.datasets.create(c.id, { name: 'k', ...DATASET });
        const { images } = await seed(store, blobs, c.id, ds.id, 1);
        const image = images[0]!;
        const until = new Date(Date.now() + 60_000).toISOString();
        const row = (attemptId: string, techName: string, versionId: number): AlgorithmResultRecord => ({
          id: randomUUID(),
          companyId: c.id,
          imageId: image.id,
          applicationRunId: '',
          applicationId: 'app',
          algorithmVersionId: versionId,
          algorithmFamilyTechName: `selfie_v2.${techName}`,
          algorithmTechName: techName,
          isOk: true,
          result: { attemptId, techName },
          creationTime: new Date().toISOString(),
          attemptId,
        });
        await store.images.startAttempt(image.id, 'old', until);
        await store.images.appendResults([row('old', 'pores', 2)]);
        await store.images.startAttempt(image.id, 'new', until);
        const redness = row('new', 'redness', 3);
        await store.images.appendResults([redness]);
        await store.images.appendResults([row('old', 'acne', 4)]); // a late write of the superseded attempt
        assert.equal(
          await store.images.saveAnalysis({
            imageId: image.id,
            attemptId: 'new',
            keepAppended: true,
            results: [row('new', 'acne', 4)],
            auxImages: [],
            status: 'done',
            error: null,
          }),
          true,
        );
        const results = await store.images.listResults(c.id, image.id);
        assert.deepEqual(
          results.map((r) => r.result),
          [
            { attemptId: 'new', techName: 'redness' },
            { attemptId: 'new', techName: 'acne' },
          ],
        );
        assert.equal(results[0]?.id, redness.id, 'the appended row is kept as it was');
        assert.deepEqual(
          (await store.images.listResultsJson(c.id, image.id)).map(({ resultJson, ...r }) => ({
            ...r,
            result: JSON.parse(resultJson),
          })),
          results,
          'listResultsJson: the same rows, each result as its JSON text',
        );
        assert.deepEqual(await store.images.listResultsJson(c.id, 'no-such-image'), []);
        assert.equal((await store.images.get(c.id, image.id))?.status, 'done');

        // Without keepAppended the results are replaced, appended rows included.
        await store.images.startAttempt(image.id, 'third', until);
        await store.images.appendResults([row('third', 'redness', 3)]);
        await store.images.saveAnalysis({
          imageId: image.id,
          attemptId: 'third',
          results: [row('third', 'acne', 4)],
          auxImages: [],
          status: 'done',
          error: null,
        });
        assert.deepEqual(
          (await store.images.listResults(c.id, image.id)).map((r) => r.result),
          [{ attemptId: 'third', techName: 'acne' }],
        );

        // A superseded attempt keeps nothing and writes nothing, with keepAppended too.
        await store.images.startAttempt(image.id, 'fourth', until);
        await store.images.appendResults([row('fifth', 'pores', 2)]);
        assert.equal(
          await store.images.saveAnalysis({
            imageId: image.id,
            attemptId: 'fifth',
            keepAppended: true,
            results: [],
            auxImages: [],
            status: 'done',
            error: null,
          }),
          false,
        );
        assert.deepEqual(await store.images.listResults(c.id, image.id), []);
      }),
    );
  });
}
