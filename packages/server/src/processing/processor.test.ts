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
import { createProcessor } from './processor.ts';

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

function startProcessor(s: Setup, analyzer: Analyzer) {
  const webhooks = createWebhookService({
    store: s.data.store,
    queue: s.data.queue,
    signer: tokenSigner(s.data.secret, Date.now),
    now: Date.now,
    publicUrl: () => undefined,
    retryBaseMs: 100,
    concerns: loadConcernTable(),
  });
  const processor = createProcessor({
    ...s.data,
    analyzer,
    handlers: { deliver_webhook: webhooks.handler },
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
