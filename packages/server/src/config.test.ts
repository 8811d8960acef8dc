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

test('scale-out adapters are chosen by configuration; the embedded default stays the default', () => {
  const embedded = loadConfig({});
  assert.deepEqual(
    [embedded.database, embedded.queue, embedded.blobs],
    [{ kind: 'sqlite' }, { kind: 'table' }, { kind: 'local' }],
  );
  const c = loadConfig({
    SKINSCOPE_SECRET: 's'.repeat(40),
    SKINSCOPE_DATABASE_URL: 'postgres://sk:pw@db.internal:5432/skinscope',
    SKINSCOPE_DATABASE_POOL: '20',
    SKINSCOPE_REDIS_URL: 'redis://cache.internal:6379/2',
    SKINSCOPE_S3_BUCKET: 'skin-images',
    SKINSCOPE_S3_ENDPOINT: 'http://minio.internal:9000/',
    SKINSCOPE_S3_PREFIX: 'prod/',
  });
  assert.deepEqual(c.database, {
    kind: 'postgres',
    url: 'postgres://sk:pw@db.internal:5432/skinscope',
    poolSize: 20,
  });
  assert.deepEqual(c.queue, { kind: 'bullmq', url: 'redis://cache.internal:6379/2', name: 'skinscope' });
  assert.deepEqual(c.blobs, {
    kind: 's3',
    bucket: 'skin-images',
    endpoint: 'http://minio.internal:9000',
    region: 'us-east-1',
    forcePathStyle: true,
    prefix: 'prod/',
  });
  const aws = loadConfig({ SKINSCOPE_S3_BUCKET: 'on-aws', SKINSCOPE_S3_REGION: 'eu-west-1' }).blobs;
  assert.deepEqual(aws, {
    kind: 's3',
    bucket: 'on-aws',
    endpoint: undefined,
    region: 'eu-west-1',
    forcePathStyle: false,
    prefix: '',
  });
});

test('bad scale-out settings are listed together; PostgreSQL needs a shared secret', () => {
  assert.throws(
    () =>
      loadConfig({
        SKINSCOPE_DATABASE_URL: 'mysql://x',
        SKINSCOPE_REDIS_URL: 'http://redis',
        SKINSCOPE_S3_BUCKET: 'Bad_Bucket',
        SKINSCOPE_S3_ENDPOINT: 'minio:9000',
        SKINSCOPE_S3_FORCE_PATH_STYLE: 'maybe',
        SKINSCOPE_DATABASE_POOL: '0',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of [
        'SKINSCOPE_DATABASE_URL must',
        'SKINSCOPE_SECRET is required',
        'SKINSCOPE_REDIS_URL',
        'SKINSCOPE_S3_BUCKET',
        'SKINSCOPE_S3_ENDPOINT',
        'SKINSCOPE_S3_FORCE_PATH_STYLE',
        'SKINSCOPE_DATABASE_POOL',
      ]) {
        assert.ok(
          error.problems.some((p) => p.includes(name)),
          name,
        );
      }
      return true;
    },
  );
});
