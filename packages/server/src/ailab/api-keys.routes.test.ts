import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hashPrivateToken } from '../auth/tokens.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

describe('AILab API keys over HTTP (like private tokens)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('create shows the key once, list hides it, delete revokes it; companies stay apart', async () => {
    const auth = { authorization: `Bearer ${await t.login(t.a)}` };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/api_keys/',
      headers: auth,
      payload: { name: 'shop' },
    });
    assert.equal(created.statusCode, 201);
    const { id, key, company_id } = created.json() as { id: string; key: string; company_id: string };
    assert.match(key, /^ska_/);
    assert.equal(company_id, t.a.companyId);
    const stored = await t.data.store.apiKeys.findByHash(hashPrivateToken(key));
    assert.equal(stored?.id, id, 'the key resolves to its record; only the hash is kept');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/api_keys/', headers: auth });
    assert.deepEqual(
      (list.json() as { id: string; key?: string }[]).map((k) => [k.id, k.key]),
      [[id, undefined]],
    );
    const other = { authorization: `Bearer ${await t.login(t.b)}` };
    assert.deepEqual(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/api_keys/', headers: other })).json(),
      [],
    );
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/api_keys/${id}/`,
      headers: other,
    });
    assert.equal(foreign.statusCode, 404);
    const past = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/api_keys/',
      headers: auth,
      payload: { name: 'old', expiration_time: '2001-01-01T00:00:00Z' },
    });
    assert.equal(past.statusCode, 400);
    const gone = await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/api_keys/${id}/`, headers: auth });
    assert.equal(gone.statusCode, 204);
    assert.equal(await t.data.store.apiKeys.findByHash(stored!.keyHash), undefined);
  });
});
