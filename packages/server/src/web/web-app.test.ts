import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

describe('the web dashboard at /', () => {
  let web: string;
  let t: TestApp;
  before(async () => {
    web = mkdtempSync(join(tmpdir(), 'skinscope-web-dist-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Skinscope</title>');
    writeFileSync(join(web, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
    t = await createTestApp({ webDir: web });
  });
  after(async () => {
    await t.close();
    rmSync(web, { recursive: true, force: true });
  });

  test('serves index.html at / and hashed assets with a long cache', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(home.headers['content-type'] as string, /^text\/html/);
    assert.equal(home.headers['cache-control'], 'no-cache');
    assert.match(home.body, /<title>Skinscope<\/title>/);
    const asset = await t.app.inject({ method: 'GET', url: '/assets/index-AbCd1234.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['cache-control'] as string, /immutable/);
  });

  test('API routes are unchanged and unknown paths keep the JSON 404 envelope', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/login/',
      payload: { username: t.a.username, password: t.a.password },
    });
    assert.equal(login.statusCode, 200);
    for (const url of ['/api/v1/nope/', '/nope', '/assets/missing.js', '/../package.json']) {
      const r = await t.app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().code, 'not_found', url);
    }
    const post = await t.app.inject({ method: 'POST', url: '/' });
    assert.equal(post.statusCode, 404);
    assert.equal(post.json().code, 'not_found');
  });

  test('without a web folder / answers the JSON 404', async () => {
    const bare = await t.rebuild({ webDir: undefined });
    const r = await bare.inject({ method: 'GET', url: '/' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'not_found');
  });
});
