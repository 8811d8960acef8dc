import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteDatabase } from '../store/sqlite.store.ts';
import { sqlJobQueue } from './sql.job-queue.ts';

async function withQueue(
  fn: (q: ReturnType<typeof sqlJobQueue>, clock: { t: number }, path: string) => Promise<void>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-queue-'));
  const path = join(dir, 'q.db');
  const db = await openSqliteDatabase(path);
  const clock = { t: Date.parse('2030-01-01T00:00:00Z') };
  try {
    await fn(
      sqlJobQueue(db, () => clock.t),
      clock,
      path,
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('jobs are claimed once, oldest first, and completed', () =>
  withQueue(async (q, clock) => {
    const first = await q.enqueue('analyze_image', { imageId: 'a' });
    clock.t += 1;
    await q.enqueue('analyze_image', { imageId: 'b' });
    const j1 = await q.claim('w1', 1000);
    const j2 = await q.claim('w2', 1000);
    assert.equal(j1?.id, first);
    assert.equal(j2?.payload.imageId, 'b');
    assert.equal(await q.claim('w3', 1000), undefined);
    assert.equal(await q.hasUnfinished('a'), true);
    await q.complete(j1!.id);
    assert.equal(await q.hasUnfinished('a'), false);
    await q.complete(j2!.id);
    assert.equal(await q.pending(), 0);
  }));

test('a job whose lease ran out (dead worker) is claimed again; renewing keeps it', () =>
  withQueue(async (q, clock) => {
    await q.enqueue('analyze_image', { imageId: 'a' });
    const job = await q.claim('dead', 1000);
    clock.t += 900;
    await q.renew(job!.id, 'dead', 1000);
    clock.t += 900;
    assert.equal(await q.claim('other', 1000), undefined);
    clock.t += 200;
    const again = await q.claim('other', 1000);
    assert.equal(again?.id, job!.id);
    assert.equal(again?.attempts, 2);
  }));

test('jobs survive reopening the database', () =>
  withQueue(async (q, clock, path) => {
    await q.enqueue('analyze_image', { imageId: 'persisted' });
    const db2 = await openSqliteDatabase(path);
    try {
      const job = await sqlJobQueue(db2, () => clock.t).claim('w', 1000);
      assert.equal(job?.payload.imageId, 'persisted');
    } finally {
      await db2.destroy();
    }
  }));

test('failures are retried after a delay until attempts are spent', () =>
  withQueue(async (q, clock) => {
    await q.enqueue('analyze_image', { imageId: 'a' }, { maxAttempts: 2, backoffMs: 500 });
    const j = await q.claim('w', 1000);
    assert.equal(await q.fail(j!.id, 'boom'), true);
    assert.equal(await q.claim('w', 1000), undefined);
    clock.t += 600;
    const j2 = await q.claim('w', 1000);
    assert.equal(j2?.attempts, 2);
    assert.equal(await q.fail(j2!.id, 'boom'), false);
    clock.t += 600;
    assert.equal(await q.claim('w', 1000), undefined);
    assert.equal(await q.pending(), 0);
  }));
