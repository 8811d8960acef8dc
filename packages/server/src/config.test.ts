import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: port 8080 on 127.0.0.1, data in ./.skinscope/data, role all', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.host, '127.0.0.1');
  assert.match(c.dataDir, /\.skinscope\/data$/);
  assert.equal(c.role, 'all');
  assert.ok(c.workers >= 1);
});

test('reads PORT, HOST, SKINSCOPE_DATA_DIR and the rest', () => {
  const c = loadConfig({
    PORT: '0',
    HOST: '0.0.0.0',
    SKINSCOPE_DATA_DIR: '/tmp/x',
    SKINSCOPE_WORKERS: '2',
    SKINSCOPE_ROLE: 'api',
  });
  assert.deepEqual([c.port, c.host, c.dataDir, c.workers, c.role], [0, '0.0.0.0', '/tmp/x', 2, 'api']);
});

test('every bad variable is listed in one error', () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: 'eighty',
        SKINSCOPE_WORKERS: '0',
        SKINSCOPE_ROLE: 'boss',
        SKINSCOPE_SECRET: 'short',
        SKINSCOPE_PUBLIC_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 6);
      for (const name of [
        'PORT',
        'SKINSCOPE_WORKERS',
        'SKINSCOPE_ROLE',
        'SKINSCOPE_SECRET',
        'SKINSCOPE_PUBLIC_URL',
        'LOG_LEVEL',
      ]) {
        assert.match(error.message, new RegExp(name));
      }
      return true;
    },
  );
});

test('SKINSCOPE_WEB_DIR: a folder with index.html, or off; anything else is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-web-config-'));
  try {
    assert.throws(
      () => loadConfig({ SKINSCOPE_WEB_DIR: dir }),
      /SKINSCOPE_WEB_DIR must be a folder holding index.html/,
    );
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    assert.equal(loadConfig({ SKINSCOPE_WEB_DIR: dir }).webDir, dir);
    assert.equal(loadConfig({ SKINSCOPE_WEB_DIR: 'off' }).webDir, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
