import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EngineError } from '@skinscope/engine';
import { createCompany } from '../accounts.service.ts';
import { tokenSigner } from '../auth/tokens.ts';
import { openDataDir } from '../data-dir.ts';
import { createValidatingAnalyzer } from '../engine.analyzer.ts';
import type { Analyzer } from '../ports/analyzer.ts';
import { loadConcernTable } from '../recommendations/recommend.ts';
import { FACE_PHOTO } from '../testing/test-app.ts';
import { createWebhookService } from '../webhooks/webhook.service.ts';
import { resultRecords } from './analysis-records.ts';
import { createProcessor } from './processor.ts';
import { workerIdentity } from './worker-identity.ts';

const quiet = { info() {}, error() {} };

/** The job bookkeeping is what is tested here, not the analysis: a tiny in-test analyzer answers. */
function stubAnalyzer(fail?: EngineError): Analyzer {
  const base = createValidatingAnalyzer();
  return {
    ...base,
    analyze: async () => {
      if (fail) throw fail;
      return {
        image: { width: 1, height: 1, format: 'jpeg' },
        faceCount: 1,
        timings: {},
        results: [
          {
            algorithm_family_tech_name: 'selfie_v2.face_detector',
            algorithm_tech_name: 'face_detector',
            algorithm_version: '1',
            is_ok: true,
            result: {
              area_results: [],
              masks_original: { mask_type: 'none', features: [] },
              masks_restored: { mask_type: 'none', features: [] },
            },
          },
        ],
      };
    },
  };
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'skinscope-proc-'));
  const data = await openDataDir(dir);
  const company = await createCompany(data.store, 'C');
  const ds = await data.store.datasets.create(company.id, {
    name: 'd',
    imageTypeId: 1,
    expireImagesAfterDays: null,
    expireMetadataAfterDays: null,
    cleanImagesAsSoonAsReady: false,
  });
  const run = await data.store.datasets.attachApplication(company.id, {
    applicationId: '8b5b3acc-480b-4412-8d2c-ebe6ab4384d7',
    datasetId: ds.id,
    enabledAlgorithms: null,
  });
  const subject = await data.store.subjects.create(company.id, {
    datasetId: ds.id,
    name: 's',
    birthDate: null,
    biologicalSex: null,
    meta: {},
    authorId: null,
  });
  const batch = await data.store.subjects.createBatch(company.id, ds.id, subject.id);
  const id = randomUUID();
  await data.blobs.put(`images/${company.id}/${id}.jpg`, readFileSync(FACE_PHOTO), 'image/jpeg');
  await data.store.images.create({
    id,
    companyId: company.id,
    datasetId: ds.id,
    subjectId: subject.id,
    batchId: batch.id,
    sideId: 1,
    lightId: 1,
    blobKey: `images/${company.id}/${id}.jpg`,
    width: 1,
    height: 1,
    format: 'jpeg',
    status: 'queued',
    applicationRunIds: [run.id],
    meta: {},
    error: null,
  });
  return { dir, data, companyId: company.id, imageId: id };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** The job handlers besides image analysis, as the server wires them. */
function otherHandlers(s: Setup) {
  const webhooks = createWebhookService({
    store: s.data.store,
    queue: s.data.queue,
    signer: tokenSigner(s.data.secret, Date.now),
    now: Date.now,
    publicUrl: () => undefined,
    retryBaseMs: 100,
    concerns: loadConcernTable(),
  });
  return { deliver_webhook: webhooks.handler };
}

function startProcessor(s: Setup, analyzer: Analyzer) {
  const processor = createProcessor({
    ...s.data,
    analyzer,
    handlers: otherHandlers(s),
    concurrency: 1,
    leaseMs: 1000,
    pollMs: 20,
    log: quiet,
  });
  processor.start();
  return processor;
}

async function stopAll(s: Setup, processor: ReturnType<typeof createProcessor>) {
  await processor.stop();
  await s.data.close();
  rmSync(s.dir, { recursive: true, force: true });
}

async function waitFor(check: () => Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('an image recorded as queued without a job (crash in between) is requeued and processed at start', async () => {
  const s = await setup();
  assert.equal(await s.data.queue.pending(), 0);
  const processor = startProcessor(s, stubAnalyzer());
  try {
    await waitFor(async () => (await s.data.store.images.get(s.companyId, s.imageId))?.status === 'done');
    const results = await s.data.store.images.listResults(s.companyId, s.imageId);
    assert.equal(results.length, 1);
    assert.equal(results[0]?.algorithmVersionId, 40);
  } finally {
    await stopAll(s, processor);
  }
});

test('an image the engine refuses gets is_ok:false results with the reason, not a stuck job', async () => {
  const s = await setup();
  const analyzer = stubAnalyzer(new EngineError('image_too_small', 'The face is too small to analyse.'));
  const processor = startProcessor(s, analyzer);
  try {
    await waitFor(async () => (await s.data.store.images.get(s.companyId, s.imageId))?.status === 'failed');
    const results = await s.data.store.images.listResults(s.companyId, s.imageId);
    assert.ok(results.length > 0);
    assert.ok(results.every((r) => !r.isOk && JSON.stringify(r.result).includes('too small')));
    assert.equal(await s.data.queue.pending(), 0);
  } finally {
    await stopAll(s, processor);
  }
});

test('results are readable one by one while the image is processing, then replaced by the final set', async () => {
  const s = await setup();
  const finished = stubAnalyzer();
  const final = await finished.analyze(new Uint8Array());
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const analyzer: Analyzer = {
    ...finished,
    analyze: async (_bytes, _options, onResult) => {
      for (const r of final.results) onResult?.(r);
      await gate;
      return final;
    },
  };
  const processor = startProcessor(s, analyzer);
  try {
    await waitFor(async () => (await s.data.store.images.listResults(s.companyId, s.imageId)).length === 1);
    assert.equal((await s.data.store.images.get(s.companyId, s.imageId))?.status, 'processing');
    release();
    await waitFor(async () => (await s.data.store.images.get(s.companyId, s.imageId))?.status === 'done');
    const results = await s.data.store.images.listResults(s.companyId, s.imageId);
    assert.equal(results.length, 1, 'the partial result is replaced, not duplicated');
  } finally {
    release();
    await stopAll(s, processor);
  }
});

test('a restarted worker reclaims the job its dead predecessor held at once, not after the lease', async () => {
  const s = await setup();
  const jobId = await s.data.queue.enqueue('analyze_image', { imageId: s.imageId });
  // A previous process of this machine claimed the job for an hour, wrote one partial result, then died.
  const dead = workerIdentity('this-machine', 2 ** 22 + 12345, 1);
  const claimed = await s.data.queue.claim(dead.id, 3_600_000);
  assert.equal(claimed?.id, jobId);
  await s.data.store.images.startAttempt(
    s.imageId,
    'dead-attempt',
    new Date(Date.now() + 3_600_000).toISOString(),
  );
  const leftover = (await stubAnalyzer().analyze(new Uint8Array())).results[0]!;
  await s.data.store.images.appendResults(
    resultRecords(
      { id: s.imageId, companyId: s.companyId },
      [{ id: '', applicationId: 'x', enabledAlgorithms: null }],
      [leftover],
      [],
    ).map((r) => ({ ...r, attemptId: 'dead-attempt' })),
  );
  // A job another machine holds is left to its lease.
  const other = await s.data.queue.enqueue('analyze_image', { imageId: 'elsewhere' });
  await s.data.queue.claim(workerIdentity('other-machine').id, 3_600_000);
  const processor = createProcessor({
    ...s.data,
    analyzer: stubAnalyzer(),
    handlers: otherHandlers(s),
    concurrency: 1,
    leaseMs: 3_600_000,
    pollMs: 20,
    log: quiet,
    identity: workerIdentity('this-machine'),
  });
  processor.start();
  try {
    await waitFor(async () => (await s.data.store.images.get(s.companyId, s.imageId))?.status === 'done');
    const results = await s.data.store.images.listResults(s.companyId, s.imageId);
    assert.equal(results.length, 1, 'one complete set, no leftovers of the dead attempt');
    assert.notEqual(results[0]?.attemptId, 'dead-attempt');
    assert.deepEqual(
      (await s.data.queue.running()).map((j) => j.id),
      [other],
    );
  } finally {
    await stopAll(s, processor);
  }
});

test('results of an abandoned attempt are not read, and a new attempt hides the old one', async () => {
  const s = await setup();
  const record = (await stubAnalyzer().analyze(new Uint8Array())).results[0]!;
  const rows = (attemptId: string) =>
    resultRecords(
      { id: s.imageId, companyId: s.companyId },
      [{ id: '', applicationId: 'x', enabledAlgorithms: null }],
      [record],
      [],
    ).map((r) => ({ ...r, attemptId }));
  try {
    const soon = new Date(Date.now() + 60_000).toISOString();
    await s.data.store.images.startAttempt(s.imageId, 'a1', soon);
    await s.data.store.images.appendResults(rows('a1'));
    assert.equal(
      (await s.data.store.images.listResults(s.companyId, s.imageId)).length,
      1,
      'live partial set',
    );
    await s.data.store.images.startAttempt(s.imageId, 'a2', soon);
    assert.equal((await s.data.store.images.listResults(s.companyId, s.imageId)).length, 0, 'a1 is gone');
    await s.data.store.images.appendResults(rows('a2'));
    await s.data.store.images.appendResults(rows('a1'));
    assert.equal((await s.data.store.images.listResults(s.companyId, s.imageId)).length, 1, 'no duplicates');
    assert.equal(
      await s.data.store.images.saveAnalysis({
        imageId: s.imageId,
        attemptId: 'a1',
        results: rows('a1'),
        auxImages: [],
        status: 'done',
        error: null,
      }),
      false,
      'a superseded attempt writes nothing',
    );
    await s.data.store.images.startAttempt(s.imageId, 'a3', new Date(Date.now() - 1000).toISOString());
    await s.data.store.images.appendResults(rows('a3'));
    assert.equal(
      (await s.data.store.images.listResults(s.companyId, s.imageId)).length,
      0,
      'a lapsed hold shows nothing',
    );
  } finally {
    await s.data.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
