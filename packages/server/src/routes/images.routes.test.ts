import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestApp, FACE_PHOTO, type TestApp } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';

describe('image upload validation', () => {
  let t: TestApp;
  let auth: { authorization: string };
  let batchUrl: string;
  let subjectUrl: string;
  const face = readFileSync(FACE_PHOTO);

  before(async () => {
    t = await createTestApp();
    auth = { authorization: `Bearer ${await t.login(t.a)}` };
    const c = `/api/v1/companies/${t.a.companyId}`;
    const ds = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/`,
      headers: auth,
      payload: { name: 'd' },
    });
    const d = ds.json().id;
    const run = await t.app.inject({
      method: 'POST',
      url: `${c}/applications/${FSM2}/runs/`,
      headers: auth,
      payload: { dataset_id: d },
    });
    assert.equal(run.statusCode, 201);
    const s = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${d}/subjects/`,
      headers: auth,
      payload: { name: 's' },
    });
    subjectUrl = `${c}/datasets/${d}/subjects/${s.json().id}`;
    const b = await t.app.inject({ method: 'POST', url: `${subjectUrl}/batches/`, headers: auth });
    batchUrl = `${subjectUrl}/batches/${b.json().id}`;
  });
  after(() => t.close());

  const upload = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `${batchUrl}/images/`,
      headers: { ...auth, ...headers },
      payload: payload as string,
    });

  test('a real face is accepted at once (201, id) and queued as a durable job', async () => {
    const r = await upload({ side_id: 1, light_id: 1, b64data: face.toString('base64') });
    assert.equal(r.statusCode, 201, r.body);
    const body = r.json();
    assert.ok(body.id);
    assert.equal(body.status, 'queued');
    assert.equal(body.format, 'jpeg');
    assert.equal(await t.data.queue.pending(), 1);
  });

  test('the same upload as multipart/form-data', async () => {
    const boundary = '----skinscope';
    const parts = [
      `--${boundary}\r\nContent-Disposition: form-data; name="side_id"\r\n\r\n2\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="face.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ];
    const payload = Buffer.concat([
      Buffer.from(parts.join('')),
      face,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const r = await upload(payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().side_id, 2);
  });

  const cases: [string, unknown, number, RegExp][] = [
    ['missing b64data', { side_id: 1, light_id: 1 }, 400, /b64data/],
    ['b64data not a string', { b64data: 12 }, 400, /b64data/],
    ['bad base64', { b64data: 'this is *not* base64!!' }, 400, /base64/],
    ['side_id out of range', { side_id: 7, b64data: face.toString('base64') }, 400, /side_id/],
    ['light_id not an integer', { light_id: 'bright', b64data: face.toString('base64') }, 400, /light_id/],
    [
      'a text file',
      { b64data: Buffer.from('hello, I am not an image at all').toString('base64') },
      422,
      /image/i,
    ],
    [
      'a truncated JPEG',
      { b64data: face.subarray(0, Math.floor(face.length / 2)).toString('base64') },
      422,
      /trunc|incomplete|corrupt/i,
    ],
    ['a body that is not an object', [1, 2, 3], 400, /./],
  ];
  for (const [name, payload, status, message] of cases) {
    test(`${name} -> ${status} with a clear message`, async () => {
      const r = await upload(payload);
      assert.equal(r.statusCode, status, r.body);
      assert.match(r.json().message, message);
      assert.ok(r.json().code);
    });
  }

  test('a 50 MB body -> 413', async () => {
    const big = JSON.stringify({ b64data: 'A'.repeat(50 * 1024 * 1024) });
    const r = await upload(big, { 'content-type': 'application/json' });
    assert.equal(r.statusCode, 413);
    assert.equal(r.json().code, 'payload_too_large');
  });

  test('an image over the configured size -> 413 image_too_large', async () => {
    const small = await t.rebuild({ maxImageBytes: 10_000 });
    const r = await small.inject({
      method: 'POST',
      url: `${batchUrl}/images/`,
      headers: auth,
      payload: { b64data: face.toString('base64') },
    });
    assert.equal(r.statusCode, 413);
    assert.equal(r.json().code, 'image_too_large');
  });

  test('unknown batch, subject or image ids -> 404', async () => {
    const unknownBatch = await t.app.inject({
      method: 'POST',
      url: `${subjectUrl}/batches/00000000-0000-0000-0000-000000000000/images/`,
      headers: auth,
      payload: { b64data: face.toString('base64') },
    });
    assert.equal(unknownBatch.statusCode, 404);
    assert.match(unknownBatch.json().message, /batch/);
    for (const path of [
      `${batchUrl}/images/nope/results/`,
      `${batchUrl}/images/nope/aux/`,
      `${batchUrl}/images/nope/`,
    ]) {
      const r = await t.app.inject({ method: 'GET', url: path, headers: auth });
      assert.equal(r.statusCode, 404, path);
    }
  });

  test('subject images/ without a batch creates the batch and answers {id, image_batch_id}', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `${subjectUrl}/images`,
      headers: auth,
      payload: { side_id: 1, light_id: 1, b64data: face.toString('base64') },
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.ok(r.json().id && r.json().image_batch_id);
  });
});

describe('images of a dataset without an application', () => {
  test('are stored, not processed, also after an application is attached later', async () => {
    const t = await createTestApp();
    try {
      const auth = { authorization: `Bearer ${await t.login(t.a)}` };
      const c = `/api/v1/companies/${t.a.companyId}`;
      const d = (
        await t.app.inject({ method: 'POST', url: `${c}/datasets/`, headers: auth, payload: { name: 'd' } })
      ).json().id;
      const s = (
        await t.app.inject({
          method: 'POST',
          url: `${c}/datasets/${d}/subjects/`,
          headers: auth,
          payload: { name: 's' },
        })
      ).json().id;
      const r = await t.app.inject({
        method: 'POST',
        url: `${c}/datasets/${d}/subjects/${s}/images/`,
        headers: auth,
        payload: { b64data: readFileSync(FACE_PHOTO).toString('base64') },
      });
      assert.equal(r.statusCode, 201);
      assert.equal(r.json().status, 'stored');
      assert.equal(await t.data.queue.pending(), 0);
      // Attaching the application later does not process earlier images (as the seed says).
      const run = await t.app.inject({
        method: 'POST',
        url: `${c}/applications/8b5b3acc-480b-4412-8d2c-ebe6ab4384d7/runs/`,
        headers: auth,
        payload: { dataset_id: d },
      });
      assert.equal(run.statusCode, 201);
      const image = await t.data.store.images.get(t.a.companyId, r.json().id);
      assert.equal(image?.status, 'stored');
      assert.equal(await t.data.queue.pending(), 0);
      const next = await t.app.inject({
        method: 'POST',
        url: `${c}/datasets/${d}/subjects/${s}/images/`,
        headers: auth,
        payload: { b64data: readFileSync(FACE_PHOTO).toString('base64') },
      });
      assert.equal(next.json().status, 'queued');
      assert.equal(await t.data.queue.pending(), 1);
    } finally {
      await t.close();
    }
  });
});
