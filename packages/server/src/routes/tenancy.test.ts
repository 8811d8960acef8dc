import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestApp, FACE_PHOTO, type TestApp } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';

describe("tenancy: one company cannot read, change or delete another company's resources", () => {
  let t: TestApp;
  let authA: { authorization: string };
  let authB: { authorization: string };
  let tokenB: string;
  const ids = { dataset: '', subject: '', batch: '', image: '', aux: '' };
  let cA: string;
  let cB: string;
  let imageUrl: string;

  before(async () => {
    t = await createTestApp();
    authA = { authorization: `Bearer ${await t.login(t.a)}` };
    tokenB = await t.login(t.b);
    authB = { authorization: `Bearer ${tokenB}` };
    cA = `/api/v1/companies/${t.a.companyId}`;
    cB = `/api/v1/companies/${t.b.companyId}`;
    const post = async (url: string, payload?: object) =>
      (await t.app.inject({ method: 'POST', url, headers: authA, ...(payload ? { payload } : {}) })).json();
    ids.dataset = (await post(`${cA}/datasets/`, { name: 'secret' })).id;
    await post(`${cA}/applications/${FSM2}/runs/`, { dataset_id: ids.dataset });
    ids.subject = (await post(`${cA}/datasets/${ids.dataset}/subjects/`, { name: 'A person' })).id;
    ids.batch = (await post(`${cA}/datasets/${ids.dataset}/subjects/${ids.subject}/batches/`)).id;
    imageUrl = `datasets/${ids.dataset}/subjects/${ids.subject}/batches/${ids.batch}/images`;
    ids.image = (
      await post(`${cA}/${imageUrl}/`, { b64data: readFileSync(FACE_PHOTO).toString('base64') })
    ).id;
    // Results and an aux image as the processor would write them (the engine is not what is tested here).
    ids.aux = randomUUID();
    await t.data.blobs.put(`aux/${t.a.companyId}/${ids.aux}.jpg`, readFileSync(FACE_PHOTO), 'image/jpeg');
    await t.data.store.images.saveAnalysis({
      imageId: ids.image,
      status: 'done',
      error: null,
      auxImages: [
        {
          id: ids.aux,
          companyId: t.a.companyId,
          imageId: ids.image,
          auxImageType: 'selfie_front_face_restored',
          blobKey: `aux/${t.a.companyId}/${ids.aux}.jpg`,
          width: 10,
          height: 10,
          creationTime: new Date().toISOString(),
        },
      ],
      results: [
        {
          id: randomUUID(),
          companyId: t.a.companyId,
          imageId: ids.image,
          applicationRunId: '',
          applicationId: FSM2,
          algorithmVersionId: 40,
          algorithmFamilyTechName: 'selfie_v2.face_detector',
          algorithmTechName: 'face_detector',
          isOk: true,
          result: { area_results: [] },
          creationTime: new Date().toISOString(),
        },
      ],
    });
  });
  after(() => t.close());

  test('the owner sees everything', async () => {
    const results = await t.app.inject({
      method: 'GET',
      url: `${cA}/${imageUrl}/${ids.image}/results/`,
      headers: authA,
    });
    assert.equal(results.statusCode, 200);
    assert.equal(results.json().length, 1);
    const file = await t.app.inject({
      method: 'GET',
      url: `/images/${ids.aux}.jpg?token=${authA.authorization.slice(7)}`,
    });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/jpeg');
  });

  test("B using A's company id in the path -> 404 everywhere", async () => {
    const urls: [string, string, object?][] = [
      ['GET', `${cA}/datasets/`],
      ['GET', `${cA}/datasets/${ids.dataset}/`],
      ['PATCH', `${cA}/datasets/${ids.dataset}/`, { name: 'stolen' }],
      ['DELETE', `${cA}/datasets/${ids.dataset}/`],
      ['GET', `${cA}/applications/`],
      ['POST', `${cA}/applications/${FSM2}/runs/`, { dataset_id: ids.dataset }],
      ['GET', `${cA}/datasets/${ids.dataset}/subjects/${ids.subject}/`],
      ['DELETE', `${cA}/datasets/${ids.dataset}/subjects/${ids.subject}/`],
      ['POST', `${cA}/${imageUrl}/`, { b64data: 'QUJDREVGR0hJSktMTU5PUA==' }],
      ['GET', `${cA}/${imageUrl}/${ids.image}/results/`],
      ['GET', `${cA}/${imageUrl}/${ids.image}/aux/`],
    ];
    for (const [method, url, payload] of urls) {
      const r = await t.app.inject({
        method: method as 'GET',
        url,
        headers: authB,
        ...(payload ? { payload } : {}),
      });
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
  });

  test("B using its own company id with A's resource ids -> 404 everywhere", async () => {
    const urls: [string, string, object?][] = [
      ['GET', `${cB}/datasets/${ids.dataset}/`],
      ['PUT', `${cB}/datasets/${ids.dataset}/`, { name: 'stolen' }],
      ['DELETE', `${cB}/datasets/${ids.dataset}/`],
      ['POST', `${cB}/applications/${FSM2}/runs/`, { dataset_id: ids.dataset }],
      ['GET', `${cB}/datasets/${ids.dataset}/subjects/`],
      ['POST', `${cB}/datasets/${ids.dataset}/subjects/`, { name: 'intruder' }],
      ['GET', `${cB}/datasets/${ids.dataset}/subjects/${ids.subject}/batches/`],
      ['GET', `${cB}/${imageUrl}/${ids.image}/results/`],
      ['GET', `${cB}/${imageUrl}/${ids.image}/aux/`],
      ['POST', `/api/v3/companies/${t.b.companyId}/subjects/${ids.subject}/upload/`, { front: true }],
      ['GET', `/api/v3/companies/${t.b.companyId}/subjects/${ids.subject}/batches/${ids.batch}/results/`],
    ];
    for (const [method, url, payload] of urls) {
      const r = await t.app.inject({
        method: method as 'GET',
        url,
        headers: authB,
        ...(payload ? { payload } : {}),
      });
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
    }
    const ownDataset = (
      await t.app.inject({ method: 'POST', url: `${cB}/datasets/`, headers: authB, payload: { name: 'b' } })
    ).json();
    const crossSubject = await t.app.inject({
      method: 'GET',
      url: `${cB}/datasets/${ownDataset.id}/subjects/${ids.subject}/`,
      headers: authB,
    });
    assert.equal(crossSubject.statusCode, 404);
    const file = await t.app.inject({ method: 'GET', url: `/images/${ids.aux}.jpg?token=${tokenB}` });
    assert.equal(file.statusCode, 404);
    const original = await t.app.inject({ method: 'GET', url: `/images/${ids.image}.jpg?token=${tokenB}` });
    assert.equal(original.statusCode, 404);
  });

  test('nothing of A was changed', async () => {
    const d = await t.app.inject({ method: 'GET', url: `${cA}/datasets/${ids.dataset}`, headers: authA });
    assert.equal(d.json().name, 'secret');
    const s = await t.app.inject({
      method: 'GET',
      url: `${cA}/datasets/${ids.dataset}/subjects/`,
      headers: authA,
    });
    assert.equal(s.json().count, 1);
  });

  test('signed links: work without a token, refuse a bad signature, expire', async () => {
    const aux = await t.app.inject({
      method: 'GET',
      url: `${cA}/${imageUrl}/${ids.image}/aux/`,
      headers: authA,
    });
    const link = new URL(aux.json()[0].urls.original);
    const ok = await t.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(ok.statusCode, 200);
    const tampered = await t.app.inject({
      method: 'GET',
      url: `${link.pathname}${link.search.replace(/signature=(.)/, (_, c) => `signature=${c === 'x' ? 'y' : 'x'}`)}`,
    });
    assert.equal(tampered.statusCode, 403);
    const later = await t.rebuild({ now: () => Date.now() + 2 * 3600e3 });
    const expired = await later.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(expired.statusCode, 403);
    const signed = await t.app.inject({
      method: 'GET',
      url: `${cA}/${imageUrl}/${ids.image}/aux/${ids.aux}/signed_url/?expiration_seconds=60`,
      headers: authA,
    });
    assert.match(signed.json().url, /signature=/);
  });
});
