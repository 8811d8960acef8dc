import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Analysis } from '../analysis.ts';
import { portraitPath } from '../testing/faces.ts';
import {
  type AgePlacement,
  createEnginePool,
  type EnginePool,
  listAlgorithms,
  validateImage,
} from './engine-pool.ts';

/** Analyses `bytes` one at a time (the other worker loads faceres meanwhile) until `placed` holds. */
async function analyseUntil(pool: EnginePool, bytes: Uint8Array, placed: (p: AgePlacement) => boolean) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const analysis = await pool.analyze(bytes);
    if (placed(pool.agePlacement())) return analysis;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the age model was never placed as expected: ${JSON.stringify(pool.agePlacement())}`);
}

function assertSameAnalysis(actual: Analysis, expected: Analysis): void {
  assert.deepEqual(actual.results, expected.results);
  assert.deepEqual(actual.restored, expected.restored);
  assert.equal(actual.faceCount, expected.faceCount);
}

describe('engine pool', () => {
  it('analyses in worker threads, passes typed errors back and refuses work once closed', async () => {
    const pool = await createEnginePool({ workers: 1 });
    try {
      const bytes = await readFile(portraitPath('ageitgey__examples_obama-720p.jpg'));
      const partial: string[] = [];
      const partialResults = new Set<unknown>();
      const [a, b, bad, whole] = await Promise.all([
        pool.analyze(bytes, {}, (r) => {
          partial.push(r.algorithm_tech_name);
          partialResults.add(r);
        }),
        pool.analyze(bytes, { algorithms: ['quality'] }),
        pool.analyze(new Uint8Array([1, 2, 3])).catch((e: unknown) => e),
        pool.analyze(bytes),
      ]);
      assert.equal(a.faceCount, 1);
      assert.ok(
        a.results.every((r) => partialResults.has(r)),
        'the final results are the partial ones (each crossed from the worker once)',
      );
      assert.deepEqual(a.results, whole.results, 'the same results as an analysis without partials');
      assert.deepEqual(
        [...partial].sort(),
        a.results.map((r) => r.algorithm_tech_name).sort(),
        'each result is passed on as it is computed (those that need the age model last)',
      );
      assert.deepEqual(partial.slice(-2), ['age', 'eye_age']);
      assert.ok(a.restored && a.restored.jpeg.length > 1000);
      assert.deepEqual(
        b.results.map((r) => r.algorithm_tech_name),
        ['face_detector', 'quality'],
      );
      assert.equal((bad as { code: string }).code, 'not_an_image');
      assert.equal((bad as Error).name, 'EngineError');
      const [memory] = await pool.memory();
      assert.ok(memory!.tensors > 100, 'the model weights are live tensors');
      assert.ok(memory!.wasmHeapMiB > 1 && memory!.heapUsedMiB > 1);
      assert.deepEqual(
        pool.agePlacement(),
        { remote: 0, local: 2, fallbacks: 0 },
        'no other worker to pass it to',
      );
    } finally {
      await pool.close();
    }
    await assert.rejects(pool.analyze(new Uint8Array(1)), { code: 'engine_unavailable' });
  });

  it("runs an analysis's age model on an idle worker, with the results of the analysing worker's own run", async () => {
    const pool = await createEnginePool({ workers: 2 });
    try {
      const bytes = await readFile(portraitPath('ageitgey__examples_obama-720p.jpg'));
      const local = await pool.analyze(bytes);
      assert.deepEqual(
        pool.agePlacement(),
        { remote: 0, local: 1, fallbacks: 0 },
        'no worker had faceres yet',
      );
      const remote = await analyseUntil(pool, bytes, (p) => p.remote === 1);
      assert.deepEqual(pool.agePlacement().fallbacks, 0);
      assertSameAnalysis(remote, local);
      // Each runs its own age model, unless the other worker's analysis is over by then.
      const both = await Promise.all([pool.analyze(bytes), pool.analyze(bytes)]);
      for (const a of both) assertSameAnalysis(a, local);
      const rejected = assert.rejects(pool.analyze(bytes), { code: 'engine_unavailable' });
      await pool.close();
      await rejected;
    } finally {
      await pool.close();
    }
  });

  it('runs the age model in the analysing worker when the worker it was passed to exits', async () => {
    const workerUrl = new URL('./dies-on-age-run.fixture.mjs', import.meta.url);
    const pool = await createEnginePool({ workers: 2, workerUrl });
    try {
      const bytes = await readFile(portraitPath('ageitgey__examples_obama-720p.jpg'));
      const local = await pool.analyze(bytes);
      const fallback = await analyseUntil(pool, bytes, (p) => p.fallbacks === 1);
      assert.equal(pool.agePlacement().remote, 1, 'the idle worker was asked once and exited');
      assertSameAnalysis(fallback, local);
      // The worker that exited is replaced: two workers answer again, and the pool still analyses.
      const deadline = Date.now() + 60_000;
      while ((await pool.memory()).length < 2) {
        assert.ok(Date.now() < deadline, 'the exited worker was not replaced within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assertSameAnalysis(await pool.analyze(bytes), local);
    } finally {
      await pool.close();
    }
  });

  it('lists algorithms and validates uploads without loading models', async () => {
    assert.ok(
      listAlgorithms().some((a) => a.techName === 'quality' && a.familyTechName === 'selfie_v2.quality'),
    );
    const bytes = await readFile(portraitPath('ageitgey__examples_obama-720p.jpg'));
    assert.deepEqual(await validateImage(bytes), { width: 1280, height: 720, format: 'jpeg' });
    await assert.rejects(validateImage(bytes.subarray(0, 5000)), { code: 'truncated_image' });
  });
});
