import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SkinscopeClient } from '@skinscope/sdk';
import { openDataDir } from '../data-dir.ts';
import { firstLoginPassword, startChildServer } from '../testing/child-server.ts';
import { listFiles } from '../testing/seed.ts';
import { FACE_PHOTO } from '../testing/test-app.ts';

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'skinscope-deletion-'));
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('a deletion cut short by kill -9 after its first step is hidden at once and finished when the server starts again', async () => {
  const first = await startChildServer(dir, true, { LOG_LEVEL: 'warn' });
  children.push(first.process);
  const password = firstLoginPassword(dir);
  const client = new SkinscopeClient({ baseUrl: first.address });
  const c = (await client.login('admin@localhost', password)).company_id;
  const dataset = await client.createDataset(c, { name: 'erase' });
  const subject = await client.createSubject(c, dataset.id, { name: 'person' });
  const keep = await client.createSubject(c, dataset.id, { name: 'other person' });
  const upload = async (subjectId: string) => {
    const batch = await client.createBatch(c, dataset.id, subjectId);
    const ref = { companyId: c, datasetId: dataset.id, subjectId, batchId: batch.id };
    return { ...ref, imageId: (await client.uploadImage(ref, { bytes: readFileSync(FACE_PHOTO) })).id };
  };
  const gone = await upload(subject.id);
  const kept = await upload(keep.id);
  const link = (
    await client.request<{ url: string }>(
      'GET',
      `/api/v1/companies/${c}/datasets/${dataset.id}/subjects/${subject.id}/batches/${gone.batchId}/images/${gone.imageId}/signed_url/`,
    )
  ).url;
  assert.equal((await fetch(link)).status, 200);

  // The first step of the subject's deletion commits (rows flagged), then the process dies before any
  // file or row is removed: the state a kill -9 in the middle of DELETE .../subjects/{s}/ leaves.
  const side = await openDataDir(dir);
  assert.ok(
    await side.store.deletion.mark(c, { level: 'subjects', datasetId: dataset.id, subjectIds: [subject.id] }),
  );
  await side.close();
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  const blobs = join(dir, 'blobs');
  assert.ok(
    listFiles(blobs).some((f) => f.includes(gone.imageId)),
    'the photo is still on disk after the crash',
  );

  const second = await startChildServer(dir, false, { LOG_LEVEL: 'warn' });
  children.push(second.process);
  const again = new SkinscopeClient({ baseUrl: second.address });
  await again.login('admin@localhost', password);
  const deadline = Date.now() + 30_000;
  while (listFiles(blobs).some((f) => f.includes(gone.imageId))) {
    if (Date.now() > deadline) throw new Error('the interrupted deletion was not finished at start');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await fetch(link.replace(first.address, second.address))).status, 404);
  await assert.rejects(again.getSubject(c, dataset.id, subject.id), /404/);
  assert.equal((await again.getImage(kept)).id, kept.imageId, "the other subject's image stays");
  assert.ok(listFiles(blobs).some((f) => f.includes(kept.imageId)));
  second.process.kill('SIGTERM');
  await new Promise((r) => second.process.once('exit', r));

  const db = await openDataDir(dir);
  for (const table of ['images', 'batches', 'subjects'] as const) {
    const rows = await db.db.selectFrom(table).selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(subject.id), `no ${table} row of the deleted subject`);
  }
  await db.close();
});
