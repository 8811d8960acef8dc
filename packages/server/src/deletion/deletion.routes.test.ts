import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dumpDatabase, listFiles, type SeededImage, seedImage } from '../testing/seed.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createDeletionService } from './deletion.service.ts';

describe('deletion deletes: rows and files at every level, old links answer 404, other companies untouched', () => {
  let t: TestApp;
  let tokenA: string;
  let tokenB: string;
  let other: SeededImage;

  before(async () => {
    t = await createTestApp();
    tokenA = await t.login(t.a);
    tokenB = await t.login(t.b);
    other = await seedImage(t, t.b, tokenB);
  });
  after(() => t.close());

  const blobs = () => listFiles(join(t.dir, 'blobs'));
  const req = (method: 'GET' | 'DELETE' | 'POST', url: string, token = tokenA, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  /** The links a client may hold: signed URLs of the original and the aux image, and `?token=` links. */
  async function linksOf(img: SeededImage): Promise<string[]> {
    const original = (await req('GET', `${img.url}/signed_url/`)).json().url as string;
    const aux = (await req('GET', `${img.url}/aux/${img.auxId}/signed_url/`)).json().url as string;
    const links = [
      original,
      aux,
      `/images/${img.imageId}.jpg?token=${tokenA}`,
      `/images/${img.auxId}.jpg?token=${tokenA}`,
    ];
    for (const link of links) {
      const r = await t.app.inject({ method: 'GET', url: link.replace(/^https?:\/\/[^/]+/, '') });
      assert.equal(r.statusCode, 200, `before deletion ${link} answers 200`);
    }
    return links;
  }

  /** Nothing of the deleted ids is left in any table or any file; every old link answers 404. */
  async function assertGone(ids: string[], links: string[]) {
    const files = blobs().join('\n');
    const rows = await dumpDatabase(t);
    for (const id of ids) {
      assert.ok(!files.includes(id), `no file names ${id}`);
      assert.ok(!rows.includes(id), `no row names ${id}`);
    }
    for (const link of links) {
      const r = await t.app.inject({ method: 'GET', url: link.replace(/^https?:\/\/[^/]+/, '') });
      assert.equal(r.statusCode, 404, `after deletion ${link} answers 404 (got ${r.statusCode})`);
    }
  }

  async function assertOtherCompanyIntact() {
    const files = blobs().join('\n');
    assert.ok(
      files.includes(other.imageId) && files.includes(other.auxId),
      "company B's files are still there",
    );
    const r = await req('GET', `${other.url}/results/`, tokenB);
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().length, 2);
  }

  const idsOf = async (img: SeededImage) => {
    const results = (await req('GET', `${img.url}/results/`)).json() as { id: string }[];
    assert.ok(results.length > 0);
    return [img.imageId, img.auxId, ...results.map((r) => r.id)];
  };

  test('dataset: its subjects, batches, images, results, aux images, runs and files are gone', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const two = await seedImage(t, t.a, tokenA, { datasetId: one.datasetId });
    const links = [...(await linksOf(one)), ...(await linksOf(two))];
    const ids = [...(await idsOf(one)), ...(await idsOf(two)), one.datasetId, one.subjectId, two.subjectId];
    ids.push(one.batchId, two.batchId);
    const d = `/api/v1/companies/${t.a.companyId}/datasets/${one.datasetId}/`;
    assert.equal((await req('DELETE', d, tokenB)).statusCode, 404, "B cannot delete A's dataset");
    assert.equal((await req('GET', `${one.url}/results/`)).statusCode, 200);
    assert.equal((await req('DELETE', d)).statusCode, 204);
    assert.equal((await req('GET', d)).statusCode, 404);
    assert.equal((await req('DELETE', d)).statusCode, 404, 'a second delete finds nothing');
    await assertGone(ids, links);
    await assertOtherCompanyIntact();
  });

  test('subject: its batches, images, results and files are gone; another subject of the dataset stays', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const sibling = await seedImage(t, t.a, tokenA, { datasetId: one.datasetId });
    const links = await linksOf(one);
    const ids = [...(await idsOf(one)), one.subjectId, one.batchId];
    const s = `/api/v1/companies/${t.a.companyId}/datasets/${one.datasetId}/subjects/${one.subjectId}/`;
    assert.equal((await req('DELETE', s)).statusCode, 204);
    await assertGone(ids, links);
    assert.equal((await req('GET', `${sibling.url}/results/`)).statusCode, 200);
    assert.ok(blobs().join('\n').includes(sibling.imageId));
    await assertOtherCompanyIntact();
  });

  test('batch: its images and files are gone; the subject and its other batch stay', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const otherBatch = await seedImage(t, t.a, tokenA, {
      datasetId: one.datasetId,
      subjectId: one.subjectId,
    });
    const links = await linksOf(one);
    const ids = [...(await idsOf(one)), one.batchId];
    const b = `/api/v1/companies/${t.a.companyId}/datasets/${one.datasetId}/subjects/${one.subjectId}/batches/${one.batchId}/`;
    assert.equal((await req('DELETE', b, tokenB)).statusCode, 404);
    assert.equal((await req('DELETE', b)).statusCode, 204);
    await assertGone(ids, links);
    assert.equal((await req('GET', `${otherBatch.url}/`)).statusCode, 200);
  });

  test('image: its results, aux image and files are gone; the other image of the batch stays', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const sameBatch = await seedImage(t, t.a, tokenA, {
      datasetId: one.datasetId,
      subjectId: one.subjectId,
      batchId: one.batchId,
    });
    const links = await linksOf(one);
    const ids = await idsOf(one);
    assert.equal((await req('DELETE', `${one.url}/`, tokenB)).statusCode, 404);
    assert.equal((await req('DELETE', `${one.url}/`)).statusCode, 204);
    assert.equal((await req('GET', `${one.url}/`)).statusCode, 404);
    await assertGone(ids, links);
    assert.equal((await req('GET', `${sameBatch.url}/results/`)).statusCode, 200);
  });

  test('bulk: DELETE .../subjects/delete/ {subjects_ids} deletes each; ids of another company are not touched', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const two = await seedImage(t, t.a, tokenA, { datasetId: one.datasetId });
    const links = [...(await linksOf(one)), ...(await linksOf(two))];
    const ids = [...(await idsOf(one)), ...(await idsOf(two)), one.subjectId, two.subjectId];
    const url = `/api/v1/companies/${t.a.companyId}/datasets/${one.datasetId}/subjects/delete/`;
    const none = await req('DELETE', url, tokenA, { subjects_ids: [other.subjectId] });
    assert.equal(none.statusCode, 404, "another company's subject id is not found");
    const bad = await req('DELETE', url, tokenA, { ids: [one.subjectId] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'validation_error');
    const r = await req('DELETE', url, tokenA, {
      subjects_ids: [one.subjectId, two.subjectId, other.subjectId],
    });
    assert.equal(r.statusCode, 204);
    await assertGone(ids, links);
    await assertOtherCompanyIntact();
  });

  test('GDPR delete photos: every photo file of the subject is gone, links 404, results stay', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const links = await linksOf(one);
    const s = `/api/v1/companies/${t.a.companyId}/datasets/${one.datasetId}/subjects/${one.subjectId}`;
    const r = await req('POST', `${s}/delete_photos/`);
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().images_without_photo, 1);
    assert.ok(!blobs().join('\n').includes(one.imageId));
    assert.ok(!blobs().join('\n').includes(one.auxId));
    for (const link of links) {
      const got = await t.app.inject({ method: 'GET', url: link.replace(/^https?:\/\/[^/]+/, '') });
      assert.equal(got.statusCode, 404);
    }
    const results = await req('GET', `${one.url}/results/`);
    assert.equal(results.statusCode, 200);
    assert.equal(results.json().length, 2, 'results stay');
    assert.equal((await req('GET', `${one.url}/aux/`)).json().length, 0);
  });

  test('GDPR clear metadata: meta, birth date and sex are cleared; name and results stay', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const s = `/api/v1/companies/${t.a.companyId}/datasets/${one.datasetId}/subjects/${one.subjectId}/`;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: s,
      headers: { authorization: `Bearer ${tokenA}` },
      payload: { birth_date: '1990-02-03', biological_sex: 'female', meta: { email: 'x@y.z' } },
    });
    assert.equal(patched.statusCode, 200);
    assert.equal((await req('POST', `${s}clear_metadata/`, tokenB)).statusCode, 404);
    const r = await req('POST', `${s}clear_metadata/`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual([r.json().birth_date, r.json().biological_sex, r.json().meta], [null, null, {}]);
    assert.equal(r.json().name, 'person');
    assert.ok(!(await dumpDatabase(t)).includes('x@y.z'));
    assert.equal((await req('GET', `${one.url}/results/`)).json().length, 2);
  });

  test('a deletion interrupted after the flags (a crash) hides everything at once and is finished by the sweep at restart', async () => {
    const one = await seedImage(t, t.a, tokenA);
    const links = await linksOf(one);
    const ids = [...(await idsOf(one)), one.datasetId, one.subjectId];
    // The first step of a deletion, as if the process died right after it.
    assert.ok(
      await t.data.store.deletion.mark(t.a.companyId, { level: 'dataset', datasetId: one.datasetId }),
    );
    assert.ok(blobs().join('\n').includes(one.imageId), 'the files are still there');
    for (const link of links) {
      const r = await t.app.inject({ method: 'GET', url: link.replace(/^https?:\/\/[^/]+/, '') });
      assert.equal(r.statusCode, 404, `nothing half-deleted is readable: ${link}`);
    }
    assert.equal((await req('GET', `${one.url}/results/`)).statusCode, 404);
    // Part of the purge ran (one file deleted) before the crash.
    await t.data.blobs.delete((await t.data.store.deletion.blobKeys(one.imageId))[0]!);
    const restarted = createDeletionService({ store: t.data.store, blobs: t.data.blobs });
    assert.ok((await restarted.sweep()) >= 1);
    await assertGone(ids, links);
    await assertOtherCompanyIntact();
  });
});
