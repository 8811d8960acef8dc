import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

describe('auth routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('login on both paths returns access_token, refresh_token, company_id and id', async () => {
    for (const url of ['/api/v1/login/', '/api/v1/auth/login/', '/api/v1/auth/login']) {
      const r = await t.app.inject({
        method: 'POST',
        url,
        payload: { username: t.a.username, password: t.a.password },
      });
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json();
      assert.equal(body.company_id, t.a.companyId);
      assert.equal(body.id, t.a.userId);
      assert.equal(body.expires_in, 3600);
      assert.ok(body.access_token && body.refresh_token);
      assert.equal(body.token_access, body.access_token);
    }
  });

  test('wrong password is 401, missing fields are 400 with a clear message', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/login/',
      payload: { username: t.a.username, password: 'nope' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().code, 'invalid_credentials');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/login/',
      payload: { username: t.a.username },
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().message, /password/);
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/login/',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    assert.equal(notJson.statusCode, 400);
  });

  test('refresh gives a new working access token; an access token is not a refresh token', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login/',
      payload: { username: t.a.username, password: t.a.password },
    });
    const { refresh_token, access_token } = login.json();
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh/',
      payload: { refresh_token },
    });
    assert.equal(r.statusCode, 200);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets/`,
      headers: { authorization: `Bearer ${r.json().access_token}` },
    });
    assert.equal(list.statusCode, 200);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh/',
      payload: { refresh_token: access_token },
    });
    assert.equal(bad.statusCode, 401);
  });

  test('an expired access token is 401 token_expired', async () => {
    const token = await t.login(t.a);
    const later = await t.rebuild({ now: () => Date.now() + 3601 * 1000 });
    const r = await later.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets/`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().code, 'token_expired');
    const none = await t.app.inject({ method: 'GET', url: `/api/v1/companies/${t.a.companyId}/datasets/` });
    assert.equal(none.statusCode, 401);
    const garbage = await t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets/`,
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    assert.equal(garbage.statusCode, 401);
  });

  test('private tokens: secret shown once, stored hashed, usable, listed, deletable', async () => {
    const token = await t.login(t.a);
    const auth = { authorization: `Bearer ${token}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/private_tokens/',
      headers: auth,
      payload: { name: 'ci', expiration_time: new Date(Date.now() + 86400e3).toISOString() },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id, data } = created.json();
    assert.match(data, /^sks_/);
    const stored = await t.data.db
      .selectFrom('private_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, data);
    assert.ok(!JSON.stringify(stored).includes(data));

    const use = await t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets`,
      headers: { authorization: `Bearer ${data}` },
    });
    assert.equal(use.statusCode, 200);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/private_tokens/', headers: auth });
    assert.equal(list.json().count, 1);
    assert.equal(list.json().results[0].data, undefined);

    const past = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/private_tokens/',
      headers: auth,
      payload: { name: 'old', expiration_time: '2001-01-01T00:00:00Z' },
    });
    assert.equal(past.statusCode, 400);

    const otherUser = await t.login(t.b);
    const foreignDelete = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/private_tokens/${id}/`,
      headers: { authorization: `Bearer ${otherUser}` },
    });
    assert.equal(foreignDelete.statusCode, 404);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/private_tokens/${id}/`,
      headers: auth,
    });
    assert.equal(del.statusCode, 204);
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/companies/${t.a.companyId}/datasets/`,
      headers: { authorization: `Bearer ${data}` },
    });
    assert.equal(after.statusCode, 401);
  });

  test('login is rate limited per client (429)', async () => {
    const limited = await t.rebuild({ loginRateLimit: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await limited.inject({
        method: 'POST',
        url: '/api/v1/login/',
        payload: { username: 'x@y.z', password: 'w' },
      });
      codes.push(r.statusCode);
    }
    assert.deepEqual(codes, [401, 401, 401, 429, 429]);
  });
});
