import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { portraitPath } from '../testing/faces.ts';
import { createEnginePool, listAlgorithms, validateImage } from './engine-pool.ts';

describe('engine pool', () => {
  it('analyses in worker threads, passes typed errors back and refuses work once closed', async () => {
    const pool = await createEnginePool({ workers: 1 });
    try {
      const bytes = await readFile(portraitPath('ageitgey__examples_obama-720p.jpg'));
      const partial: string[] = [];
      const [a, b, bad] = await Promise.all([
        pool.analyze(bytes, {}, (r) => partial.push(r.algorithm_tech_name)),
        pool.analyze(bytes, { algorithms: ['quality'] }),
        pool.analyze(new Uint8Array([1, 2, 3])).catch((e: unknown) => e),
      ]);
      assert.equal(a.faceCount, 1);
      assert.deepEqual(
        partial,
        a.results.map((r) => r.algorithm_tech_name),
        'each result is passed on as it is computed',
      );
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
    } finally {
      await pool.close();
    }
    await assert.rejects(pool.analyze(new Uint8Array(1)), { code: 'engine_unavailable' });
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
