import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDeletionService } from '../deletion/deletion.service.ts';
import { listFiles, type SeededImage, seedImage } from '../testing/seed.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createRetentionService } from './retention.service.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 9);
const at = (days: number) => new Date(T0 + days * DAY).toISOString();

describe('retention: photos and results are deleted on schedule, by a clock the test controls', () => {
  let t: TestApp;
  let token: string;
  let clock = T0;
  const retention = () =>
    createRetentionService({
      store: t.data.store,
      deletion: createDeletionService({ store: t.data.store, blobs: t.data.blobs }),
      now: () => clock,
    });
  const files = () => listFiles(join(t.dir, 'blobs')).join('\n');
  const get = (url: string) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const datasetWith = async (settings: object) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/companies/${t.a.companyId}/datasets/`,
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'retained', ...settings },
    });
    assert.equal(r.statusCode, 201);
    return r.json().id as string;
  };

  before(async () => {
    t = await createTestApp();
    token = await t.login(t.a);
  });
  after(() => t.close());

  test('expire_images_after_days: a photo is kept until its age passes the limit, then its files go; results stay', async () => {
    const datasetId = await datasetWith({ expire_images_after_days: 7 });
    const old: SeededImage = await seedImage(t, t.a, token, { datasetId, creationTime: at(0) });
    const young = await seedImage(t, t.a, token, { datasetId, creationTime: at(5) });
    const keep = await seedImage(t, t.a, token, { creationTime: at(0) });
    clock = T0 + 7 * DAY - 1;
    assert.deepEqual(await retention().run(), { photosDeleted: 0, resultsDeleted: 0 }, 'not yet 7 days old');
    assert.ok(files().includes(old.imageId));
    clock = T0 + 7 * DAY + 1;
    assert.equal((await retention().run()).photosDeleted, 1);
    assert.ok(
      !files().includes(old.imageId) && !files().includes(old.auxId),
      'original and aux files are gone',
    );
    assert.ok(files().includes(young.imageId) && files().includes(keep.imageId));
    const link = (await get(`${old.url}/signed_url/`)).json().url as string;
    assert.equal(
      (await t.app.inject({ method: 'GET', url: link.replace(/^https?:\/\/[^/]+/, '') })).statusCode,
      404,
    );
    assert.equal((await get(`${old.url}/results/`)).json().length, 2, 'results stay');
    clock = T0 + 12 * DAY + 1;
    assert.equal((await retention().run()).photosDeleted, 1, 'the younger one follows on its own schedule');
    assert.ok(files().includes(keep.imageId), 'a dataset without retention keeps its photos');
  });

  test('expire_metadata_after_days: results of images older than the limit are deleted; the image stays', async () => {
    clock = T0;
    const datasetId = await datasetWith({ expire_metadata_after_days: 30 });
    const img = await seedImage(t, t.a, token, { datasetId, creationTime: at(0) });
    clock = T0 + 29 * DAY;
    assert.equal((await retention().run()).resultsDeleted, 0);
    assert.equal((await get(`${img.url}/results/`)).json().length, 2);
    clock = T0 + 31 * DAY;
    assert.equal((await retention().run()).resultsDeleted, 1);
    assert.equal((await get(`${img.url}/results/`)).json().length, 0);
    assert.equal((await get(`${img.url}/`)).statusCode, 200);
    assert.ok(files().includes(img.imageId), 'the photo has its own setting');
  });

  test('clean_images_as_soon_as_ready: the photo goes right after processing; the job catches any missed', async () => {
    clock = T0;
    const datasetId = await datasetWith({ clean_images_as_soon_as_ready: true });
    const img = await seedImage(t, t.a, token, { datasetId });
    const record = await t.data.store.images.get(t.a.companyId, img.imageId);
    await retention().onImageProcessed(record!);
    assert.ok(!files().includes(img.imageId) && !files().includes(img.auxId));
    assert.equal((await get(`${img.url}/results/`)).json().length, 2, 'results stay');
    const missed = await seedImage(t, t.a, token, { datasetId });
    assert.ok(files().includes(missed.imageId));
    assert.equal((await retention().run()).photosDeleted, 1);
    assert.ok(!files().includes(missed.imageId));
  });
});
