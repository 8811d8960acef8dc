import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestApp, FACE_PHOTO, type TestApp } from '../testing/test-app.ts';

describe('sessions: refresh rotation and reuse, token sources, the login limit', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const login = async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/login/',
      payload: { username: t.a.username, password: t.a.password },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as { access_token: string; refresh_token: string };
  };
  const refresh = (token: string, url = '/api/v1/auth/refresh/') =>
    t.app.inject({ method: 'POST', url, payload: { refresh_token: token } });
  const datasets = (token: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets/`,
      headers: { authorization: `Bearer ${token}` },
    });

  test('a refresh token is used once; the answer carries the next one, which works', async () => {
    const first = await login();
    const r1 = await refresh(first.refresh_token);
    assert.equal(r1.statusCode, 200, r1.body);
    const second = r1.json();
    assert.notEqual(second.refresh_token, first.refresh_token);
    const r2 = await refresh(second.refresh_token, '/api/v1/refresh/');
    assert.equal(r2.statusCode, 200, r2.body);
    assert.equal((await datasets(r2.json().access_token)).statusCode, 200);
  });

  test('a reused refresh token revokes its whole login: every refresh and access token of it answers 401', async () => {
    const first = await login();
    const other = await login();
    const rotated = (await refresh(first.refresh_token)).json();
    assert.equal((await datasets(rotated.access_token)).statusCode, 200);
    const reuse = await refresh(first.refresh_token);
    assert.equal(reuse.statusCode, 401);
    assert.equal(reuse.json().code, 'token_revoked');
    for (const token of [first.access_token, rotated.access_token]) {
      const r = await datasets(token);
      assert.equal(r.statusCode, 401);
      assert.equal(r.json().code, 'token_revoked');
    }
    const next = await refresh(rotated.refresh_token);
    assert.equal(next.statusCode, 401, 'the rotated refresh token is revoked too');
    assert.equal((await datasets(other.access_token)).statusCode, 200, 'another login is untouched');
  });

  test('?token= works only on image downloads; the cookie never authenticates an API call or a write', async () => {
    const { access_token } = await login();
    const c = `/api/v1/companies/${t.a.companyId}`;
    const viaQuery = await t.app.inject({ method: 'GET', url: `${c}/datasets/?token=${access_token}` });
    assert.equal(viaQuery.statusCode, 401);
    const cookie = { cookie: `authorization=${access_token}` };
    const read = await t.app.inject({ method: 'GET', url: `${c}/datasets/`, headers: cookie });
    assert.equal(read.statusCode, 401);
    const write = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/`,
      headers: cookie,
      payload: { name: 'csrf' },
    });
    assert.equal(write.statusCode, 401);
    // The image download keeps ?token=.
    const auth = { authorization: `Bearer ${access_token}` };
    const ds = (
      await t.app.inject({ method: 'POST', url: `${c}/datasets/`, headers: auth, payload: { name: 'd' } })
    ).json();
    const s = (
      await t.app.inject({
        method: 'POST',
        url: `${c}/datasets/${ds.id}/subjects/`,
        headers: auth,
        payload: { name: 's' },
      })
    ).json();
    const image = await t.app.inject({
      method: 'POST',
      url: `${c}/datasets/${ds.id}/subjects/${s.id}/images/`,
      headers: auth,
      payload: { b64data: readFileSync(FACE_PHOTO).toString('base64') },
    });
    assert.equal(image.statusCode, 201, image.body);
    const file = await t.app.inject({
      method: 'GET',
      url: `/images/${image.json().id}.jpg?token=${access_token}`,
    });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/jpeg');
  });

  test('one login limit per account and address, counted across /login/ and /auth/login/ (with and without slash)', async () => {
    const limited = await t.rebuild({ loginRateLimit: 4 });
    const urls = ['/api/v1/login/', '/api/v1/auth/login/', '/api/v1/login', '/api/v1/auth/login'];
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await limited.inject({
        method: 'POST',
        url: urls[i % urls.length]!,
        payload: { username: 'Victim@Example.com', password: 'guess' },
      });
      codes.push(r.statusCode);
      if (r.statusCode === 429) {
        assert.equal(r.json().code, 'rate_limited');
        assert.ok(r.headers['retry-after']);
      }
    }
    assert.deepEqual(codes, [401, 401, 401, 401, 429, 429]);
    const otherAccount = await limited.inject({
      method: 'POST',
      url: '/api/v1/login/',
      payload: { username: t.b.username, password: t.b.password },
    });
    assert.equal(otherAccount.statusCode, 200, 'another account from the same address is not blocked');
  });
});
