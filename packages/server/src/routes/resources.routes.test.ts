import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';

describe('dicts, datasets, applications, subjects, batches', () => {
  let t: TestApp;
  let auth: { authorization: string };
  let c: string;
  before(async () => {
    t = await createTestApp();
    auth = { authorization: `Bearer ${await t.login(t.a)}` };
    c = `/api/v1/companies/${t.a.companyId}`;
  });
  after(() => t.close());

  test('image types: selfie with sides front 1, right 2, left 3 and lights (no auth needed)', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/dicts/image_types/' });
    assert.equal(r.statusCode, 200);
    const selfie = r.json()[0];
    assert.deepEqual(
      selfie.sides.map((s: { id: number; tech_name: string }) => [s.id, s.tech_name]),
      [
        [1, 'front'],
        [2, 'right'],
        [3, 'left'],
      ],
    );
    assert.equal(selfie.lights[0].id, 1);
  });

  test('algorithms dict: ids, versions, algorithm_family {name, tech_name}; face detector is 40', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/dicts/algorithms/' });
    assert.equal(r.statusCode, 200);
    const algos = r.json() as {
      id: number;
      version: string;
      tech_name: string;
      algorithm_family: { name: string; tech_name: string };
    }[];
    const detector = algos.find((a) => a.tech_name === 'face_detector');
    assert.equal(detector?.id, 40);
    for (const a of algos) {
      assert.ok(Number.isInteger(a.id) && a.version && a.algorithm_family.name);
      assert.match(a.algorithm_family.tech_name, /^selfie_v2\./);
    }
    assert.equal(new Set(algos.map((a) => a.id)).size, algos.length);
  });

  test('datasets: create (201) with retention fields, list, get with and without slash, update, delete', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/`,
      headers: auth,
      payload: {
        name: 'Study',
        image_type_id: 1,
        expire_images_after_days: 30,
        clean_images_as_soon_as_ready: true,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const d = created.json();
    assert.equal(d.expire_images_after_days, 30);
    assert.equal(d.expire_metadata_after_days, null);
    assert.equal(d.clean_images_as_soon_as_ready, true);
    const got = await t.app.inject({ method: 'GET', url: `${c}/datasets/${d.id}`, headers: auth });
    assert.equal(got.json().name, 'Study');
    const list = await t.app.inject({ method: 'GET', url: `${c}/datasets/`, headers: auth });
    assert.equal(list.json().count, 1);
    const short = await t.app.inject({
      method: 'GET',
      url: `${c}/datasets/short_list/?q=stu`,
      headers: auth,
    });
    assert.deepEqual(short.json(), [{ id: d.id, name: 'Study' }]);
    const put = await t.app.inject({
      method: 'PUT',
      url: `${c}/datasets/${d.id}/`,
      headers: auth,
      payload: { expire_metadata_after_days: 365, name: 'Study 2' },
    });
    assert.equal(put.statusCode, 200);
    assert.equal(put.json().expire_metadata_after_days, 365);
    assert.equal(put.json().name, 'Study 2');
    const del = await t.app.inject({ method: 'DELETE', url: `${c}/datasets/${d.id}/`, headers: auth });
    assert.equal(del.statusCode, 204);
    const gone = await t.app.inject({ method: 'GET', url: `${c}/datasets/${d.id}`, headers: auth });
    assert.equal(gone.statusCode, 404);
  });

  test('dataset validation: missing name, bad image type, retention over 365 days -> 400', async () => {
    for (const payload of [
      {},
      { name: '' },
      { name: 'x', image_type_id: 99 },
      { name: 'x', expire_images_after_days: 400 },
      { name: 'x', clean_images_as_soon_as_ready: 'soon' },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: `${c}/datasets/`, headers: auth, payload });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
      assert.equal(r.json().code, 'validation_error');
    }
  });

  test('applications: Face Skin Metrics 2.0 listed; attach with enabled_algorithms always adds the face detector', async () => {
    const apps = await t.app.inject({ method: 'GET', url: `${c}/applications/`, headers: auth });
    assert.equal(apps.statusCode, 200);
    const fsm = apps.json().results.find((a: { id: string }) => a.id === FSM2);
    assert.equal(fsm.name, 'Face Skin Metrics 2.0');
    const d = (
      await t.app.inject({ method: 'POST', url: `${c}/datasets/`, headers: auth, payload: { name: 'x' } })
    ).json();
    const run = await t.app.inject({
      method: 'POST',
      url: `${c}/applications/${FSM2}/runs/`,
      headers: auth,
      payload: { dataset_id: d.id, enabled_algorithms: [41] },
    });
    assert.equal(run.statusCode, 201, run.body);
    assert.deepEqual(run.json().enabled_algorithms, [40, 41]);
    const unknownAlgo = await t.app.inject({
      method: 'POST',
      url: `${c}/applications/${FSM2}/runs/`,
      headers: auth,
      payload: { dataset_id: d.id, enabled_algorithms: [99999] },
    });
    assert.equal(unknownAlgo.statusCode, 400);
    assert.match(unknownAlgo.json().message, /99999/);
    const unknownApp = await t.app.inject({
      method: 'POST',
      url: `${c}/applications/nope/runs/`,
      headers: auth,
      payload: { dataset_id: d.id },
    });
    assert.equal(unknownApp.statusCode, 404);
    const unknownDataset = await t.app.inject({
      method: 'POST',
      url: `${c}/applications/${FSM2}/runs/`,
      headers: auth,
      payload: { dataset_id: 'nope' },
    });
    assert.equal(unknownDataset.statusCode, 404);
  });

  test('subjects: name required; birth_date, biological_sex, meta validated; batches created with no body', async () => {
    const d = (
      await t.app.inject({ method: 'POST', url: `${c}/datasets/`, headers: auth, payload: { name: 'x' } })
    ).json();
    const base = `${c}/datasets/${d.id}/subjects/`;
    for (const payload of [
      {},
      { name: 'a', birth_date: 'yesterday' },
      { name: 'a', biological_sex: 'robot' },
      { name: 'a', meta: 'text' },
    ]) {
      const r = await t.app.inject({ method: 'POST', url: base, headers: auth, payload });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
    }
    const s = await t.app.inject({
      method: 'POST',
      url: base,
      headers: auth,
      payload: { name: 'Ann', birth_date: '1990-02-03', biological_sex: 'female', meta: { ext: 7 } },
    });
    assert.equal(s.statusCode, 201, s.body);
    assert.equal(s.json().birth_date, '1990-02-03');
    assert.equal(s.json().dataset.id, d.id);
    assert.match(s.json().creation_time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const list = await t.app.inject({ method: 'GET', url: base, headers: auth });
    assert.equal(list.json().results.length, 1);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `${base}${s.json().id}/`,
      headers: auth,
      payload: { name: 'Anna' },
    });
    assert.equal(patched.json().name, 'Anna');
    const batch = await t.app.inject({
      method: 'POST',
      url: `${base}${s.json().id}/batches/`,
      headers: auth,
    });
    assert.equal(batch.statusCode, 201);
    const batch2 = await t.app.inject({
      method: 'POST',
      url: `${base}${s.json().id}/batches`,
      headers: auth,
      payload: {},
    });
    assert.equal(batch2.statusCode, 201);
    const batches = await t.app.inject({
      method: 'GET',
      url: `${base}${s.json().id}/batches/`,
      headers: auth,
    });
    assert.equal(batches.json().count, 2);
  });

  test('the OpenAPI document is generated from the route schemas; Swagger UI at /api/swagger/', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const paths = Object.keys(doc.json().paths);
    assert.ok(paths.some((p) => p.includes('/images/{image_id}/results/')));
    assert.ok(paths.includes('/api/v1/login/'));
    const ui = await t.app.inject({ method: 'GET', url: '/api/swagger/' });
    assert.equal(ui.statusCode, 200);
    assert.match(ui.headers['content-type'] as string, /html/);
  });

  test('unknown routes answer 404 JSON', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/nothing/' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'not_found');
  });
});
