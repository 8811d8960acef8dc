import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, FACE_PHOTO, type TestApp } from '../testing/test-app.ts';

/** Each defect of issue 12's bad-request corpus, reproduced and answered with a 4xx envelope. */

type Reply = { statusCode: number; json(): unknown; body: string };

function assertEnvelope(r: Reply, status: number, code?: string): Record<string, unknown> {
  assert.equal(r.statusCode, status, r.body);
  const body = r.json() as Record<string, unknown>;
  assert.equal(typeof body.code, 'string', r.body);
  assert.equal(typeof body.message, 'string', r.body);
  assert.equal(typeof body.details, 'object', r.body);
  assert.ok(body.details !== null, r.body);
  assert.equal(body.statusCode, undefined, 'no Fastify shape');
  if (code) assert.equal(body.code, code, r.body);
  return body;
}

/** Sends raw bytes over a socket; resolves with what the server wrote and whether it closed the connection. */
function raw(port: number, data: string, waitMs: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closed = false;
    socket.on('data', (chunk) => {
      text += chunk.toString();
    });
    socket.on('close', () => {
      closed = true;
      resolve({ text, closed });
    });
    socket.on('error', () => {});
    socket.write(data);
    setTimeout(() => {
      socket.destroy();
      resolve({ text, closed });
    }, waitMs);
  });
}

describe('requests: empty bodies, strict types, limits, dates, multipart, framework errors', () => {
  let t: TestApp;
  let auth: { authorization: string };
  let c: string;
  let ds: string;
  let subject: string;
  let batch: string;
  before(async () => {
    t = await createTestApp({ requestTimeoutMs: 1000 });
    auth = { authorization: `Bearer ${await t.login(t.a)}` };
    c = `/api/v1/companies/${t.a.companyId}`;
    const d = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/`,
      headers: auth,
      payload: { name: 'd' },
    });
    ds = d.json().id;
    const s = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${ds}/subjects/`,
      headers: auth,
      payload: { name: 's' },
    });
    subject = s.json().id;
    const b = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${ds}/subjects/${subject}/batches/`,
      headers: auth,
    });
    batch = b.json().id;
  });
  after(() => t.close());

  test('POST .../batches/ with Content-Type: application/json and no body answers 201 (an empty JSON body is {})', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${ds}/subjects/${subject}/batches/`,
      headers: { ...auth, 'content-type': 'application/json' },
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.ok(r.json().id);
    const subjectEmpty = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${ds}/subjects/`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '   ',
    });
    assertEnvelope(subjectEmpty, 400, 'validation_error');
    assert.match(subjectEmpty.json().message, /name/, 'an empty create is {}: the missing field is named');
  });

  test('wrong JSON types are a 400 naming the field, never converted', async () => {
    const cases: [string, unknown, string][] = [
      [`${c}/datasets/`, { name: 12345 }, 'body.name'],
      [`${c}/datasets/`, { name: 'x', image_type_id: true }, 'body.image_type_id'],
      [
        `${c}/datasets/`,
        { name: 'x', clean_images_as_soon_as_ready: 'yes' },
        'body.clean_images_as_soon_as_ready',
      ],
      [`${c}/datasets/${ds}/subjects/`, { name: ['a'] }, 'body.name'],
      [`${c}/datasets/${ds}/subjects/`, { name: 's', age: '40' }, 'body.age'],
      ['/api/v1/auth/private_tokens/', { name: 1 }, 'body.name'],
    ];
    for (const [url, payload, field] of cases) {
      const r = await t.app.inject({ method: 'POST', url, headers: auth, payload: payload as object });
      const body = assertEnvelope(r, 400, 'validation_error');
      assert.equal((body.details as { field?: string }).field, field, r.body);
      assert.ok(String(body.message).includes(field), r.body);
    }
    const list = await t.app.inject({ method: 'GET', url: `${c}/datasets/`, headers: auth });
    assert.ok(!JSON.stringify(list.json()).includes('12345'), 'nothing was stored');
  });

  test('a huge ?page= is a 400 on every list (it was a SQLite datatype mismatch, 500)', async () => {
    for (const url of [
      '/api/v1/auth/private_tokens/',
      `${c}/datasets/`,
      `${c}/datasets/${ds}/subjects/`,
      `${c}/datasets/${ds}/subjects/${subject}/batches/`,
      `/api/v3/companies/${t.a.companyId}/batches/`,
    ]) {
      for (const page of ['99999999999999999999', '1e300', '-1', '0', 'abc']) {
        const r = await t.app.inject({ method: 'GET', url: `${url}?page=${page}`, headers: auth });
        assertEnvelope(r, 400, 'validation_error');
      }
      const ok = await t.app.inject({ method: 'GET', url: `${url}?page=1000000`, headers: auth });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(ok.json().results, []);
    }
  });

  test('dates are parsed strictly: a leap second, February 30 or no zone-able date are 400, not a RangeError', async () => {
    for (const when of [
      '2030-12-31T23:59:60Z',
      '2030-02-30T10:00:00Z',
      '2030-13-01T00:00:00Z',
      'tomorrow',
      '2030-01-01T24:00:00Z',
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/private_tokens/',
        headers: auth,
        payload: { name: 'x', expiration_time: when },
      });
      const body = assertEnvelope(r, 400, 'validation_error');
      assert.equal((body.details as { field?: string }).field, 'body.expiration_time');
    }
    const good = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/private_tokens/',
      headers: auth,
      payload: { name: 'x', expiration_time: '2030-12-31T23:59:59+02:00' },
    });
    assert.equal(good.statusCode, 201, good.body);
    assert.equal(good.json().expiration_time, '2030-12-31T21:59:59.000Z');
    const batchWithTime = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${ds}/subjects/${subject}/batches/`,
      headers: auth,
      payload: { creation_time: '2030-12-31T23:59:60Z' },
    });
    assertEnvelope(batchWithTime, 400, 'validation_error');
  });

  test('a multipart body whose boundary does not match its header is a 400 on both upload routes', async () => {
    const face = readFileSync(FACE_PHOTO);
    const payload = Buffer.concat([
      Buffer.from(
        '--other\r\nContent-Disposition: form-data; name="file"; filename="f.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
      ),
      face.subarray(0, 2000),
      Buffer.from('\r\n--other--\r\n'),
    ]);
    for (const url of [
      `${c}/datasets/${ds}/subjects/${subject}/batches/${batch}/images/`,
      `${c}/datasets/${ds}/subjects/${subject}/images/`,
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url,
        headers: { ...auth, 'content-type': 'multipart/form-data; boundary=expected' },
        payload,
      });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, r.body);
      assertEnvelope(r, r.statusCode);
    }
  });

  test("Fastify's own errors answer the envelope: bad URL encoding, over-long ids, unknown routes, bad JSON", async () => {
    assertEnvelope(
      await t.app.inject({ method: 'GET', url: `${c}/datasets/%E0%A4%A/`, headers: auth }),
      400,
      'invalid_url',
    );
    assertEnvelope(
      await t.app.inject({ method: 'GET', url: `${c}/datasets/${'a'.repeat(300)}/`, headers: auth }),
      414,
      'uri_too_long',
    );
    assertEnvelope(await t.app.inject({ method: 'GET', url: '/nowhere' }), 404, 'not_found');
    assertEnvelope(
      await t.app.inject({
        method: 'POST',
        url: `${c}/datasets/`,
        headers: { ...auth, 'content-type': 'application/json' },
        payload: '{"name":',
      }),
      400,
      'invalid_json',
    );
    assertEnvelope(
      await t.app.inject({
        method: 'POST',
        url: `${c}/datasets/`,
        headers: { ...auth, 'content-type': 'text/xml' },
        payload: '<a/>',
      }),
      415,
      'unsupported_media_type',
    );
  });

  test('over real HTTP: headers too large answer 431 in the envelope; a body that never ends is cut with 408', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const big = await raw(
      port,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
      2000,
    );
    assert.match(big.text, /^HTTP\/1\.1 431/);
    const envelope = JSON.parse(big.text.slice(big.text.indexOf('\r\n\r\n') + 4));
    assert.equal(envelope.code, 'headers_too_large');
    assert.deepEqual(envelope.details, {});
    const slow = await raw(
      port,
      `POST ${c}/datasets/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
      5000,
    );
    assert.ok(slow.closed, 'the connection was cut');
    assert.match(slow.text, /^HTTP\/1\.1 408/);
    assert.equal(JSON.parse(slow.text.slice(slow.text.indexOf('\r\n\r\n') + 4)).code, 'request_timeout');
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200, 'still serving');
  });
});
