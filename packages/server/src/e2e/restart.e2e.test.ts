import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type ImageRef, SkinscopeClient } from '@skinscope/sdk';
import { firstLoginPassword, startChildServer as startChild } from '../testing/child-server.ts';
import { FACES_DIR } from '../testing/test-app.ts';

const FSM2 = '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7';
/** A lease far longer than the test: the restarted server must take its dead jobs back at once. */
const LONG_LEASE = { SKINSCOPE_JOB_LEASE_SECONDS: '600' };
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'skinscope-restart-'));
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('kill the server while images are queued, start it again: it takes its dead jobs back at once and every accepted image gets its results', async () => {
  const first = await startChild(dir, true, LONG_LEASE);
  children.push(first.process);
  const password = firstLoginPassword(dir);
  const client = new SkinscopeClient({ baseUrl: first.address });
  const login = await client.login('admin@localhost', password);
  const c = login.company_id;
  const dataset = await client.createDataset(c, { name: 'restart' });
  await client.attachApplication(c, FSM2, dataset.id);
  const subject = await client.createSubject(c, dataset.id, { name: 's' });
  const faces = readdirSync(FACES_DIR)
    .filter((f) => /\.jpe?g$/i.test(f))
    .slice(0, 6);
  const refs: ImageRef[] = [];
  for (const face of faces) {
    const batch = await client.createBatch(c, dataset.id, subject.id);
    const image = await client.uploadImage(
      { companyId: c, datasetId: dataset.id, subjectId: subject.id, batchId: batch.id },
      { bytes: readFileSync(join(FACES_DIR, face)) },
    );
    refs.push({
      companyId: c,
      datasetId: dataset.id,
      subjectId: subject.id,
      batchId: batch.id,
      imageId: image.id,
    });
  }
  const before = await Promise.all(refs.map((ref) => client.getImage(ref)));
  first.process.kill('SIGKILL');
  await new Promise((r) => first.process.once('exit', r));
  const unfinished = before.filter((i) => i.status === 'queued' || i.status === 'processing');
  assert.ok(
    unfinished.length >= 2,
    `images still queued when killed: ${before.map((i) => i.status).join(', ')}`,
  );

  const second = await startChild(dir, false, LONG_LEASE);
  children.push(second.process);
  const again = new SkinscopeClient({ baseUrl: second.address });
  await again.login('admin@localhost', password);
  // Whatever a client reads while the images are redone: never a dead attempt's rows twice.
  for (const ref of refs) {
    const names = (await again.results(ref)).map((r) => r.algorithm_family_tech_name);
    assert.equal(new Set(names).size, names.length, `no duplicate results for ${ref.imageId}`);
  }
  for (const ref of refs) {
    const results = await again.waitForResults(ref, { timeoutMs: 90_000, intervalMs: 250 });
    assert.ok(results.length > 0, `image ${ref.imageId} has results`);
    assert.ok(results.some((r) => r.algorithm_family_tech_name === 'selfie_v2.face_detector'));
    const image = await again.getImage(ref);
    assert.ok(image.status === 'done' || image.status === 'failed');
  }
  second.process.kill('SIGTERM');
  await new Promise((r) => second.process.once('exit', r));
});
