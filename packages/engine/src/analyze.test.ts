import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Engine } from './analyze.ts';
import { NO_FACE_ERROR } from './analyze.ts';
import { originalToRestored, restoredToOriginal } from './geometry/restore.ts';
import { analyzePortrait, metricOf, payloadOf, testEngine } from './testing/engine-fixture.ts';
import { portraitPath } from './testing/faces.ts';

let engine: Engine;
before(async () => {
  engine = await testEngine();
});

describe('analyze', () => {
  it('gives every algorithm in the result shape for a portrait', async () => {
    const a = await analyzePortrait(engine, 'ageitgey__examples_obama.jpg');
    assert.equal(a.faceCount, 1);
    assert.deepEqual(
      a.results.map((r) => r.algorithm_tech_name),
      engine.registry.metrics.map((m) => m.techName),
    );
    for (const r of a.results) {
      // Pores need 8 px/mm and hydration's texture 2 px/mm; this portrait has 1.5: not assessable.
      const gated =
        !r.is_ok && 'error_code' in r.result && r.result.error_code === 'not_assessable_resolution';
      assert.ok(
        r.is_ok || (gated && ['pores', 'hydration'].includes(r.algorithm_tech_name)),
        r.algorithm_tech_name,
      );
      assert.match(r.algorithm_family_tech_name, /^selfie_v2\./);
    }
    assert.equal(metricOf(a, 'facial_landmarks', 'landmarks_count'), 478);
    const q = metricOf(a, 'quality', 'image_quality_score');
    assert.ok(q > 70, `a good portrait has good quality: ${q}`);
    assert.ok(a.restored && a.restored.width === 800 && a.restored.jpeg.length > 10000);
  });

  it('answers "not assessable at this resolution" for evenness on a tiny face, and still gives the skin tone', async () => {
    const a = await analyzePortrait(engine, 'ageitgey__examples_obama-240p.jpg');
    for (const name of ['uniformness', 'translucency']) {
      const r = a.results.find((x) => x.algorithm_tech_name === name)!;
      assert.ok(!r.is_ok && 'error_code' in r.result, name);
      assert.equal(r.result.error_code, 'not_assessable_resolution');
    }
    assert.ok(metricOf(a, 'skin_tone', 'ita') > 20);
  });

  it('answers "No face detected" for a photo without a face', async () => {
    const noise = Buffer.alloc(400 * 400 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const jpeg = await sharp(noise, { raw: { width: 400, height: 400, channels: 3 } })
      .blur(3)
      .jpeg()
      .toBuffer();
    const a = await engine.analyze(jpeg);
    assert.equal(a.faceCount, 0);
    assert.equal(a.restored, undefined);
    for (const r of a.results) {
      assert.equal(r.is_ok, false);
      assert.deepEqual(r.result, { error: NO_FACE_ERROR, error_code: 'no_face' });
    }
  });

  it('analyses the largest of two faces and reports the count', async () => {
    const a = await analyzePortrait(engine, 'fr-two_people.jpg');
    assert.equal(a.faceCount, 2);
    assert.equal(metricOf(a, 'face_detector', 'faces_count'), 2);
    const box = payloadOf(a, 'face_detector').area_results[0]!.sub_metrics.find(
      (m) => m.tech_name === 'face_box',
    )!.widget_meta!;
    assert.ok((box.width as number) > 100);
  });

  it('runs only the selected algorithms, always with the face detector', async () => {
    const bytes = await readFile(portraitPath('ageitgey__examples_obama-720p.jpg'));
    const a = await engine.analyze(bytes, { algorithms: ['quality'] });
    assert.deepEqual(
      a.results.map((r) => r.algorithm_tech_name),
      ['face_detector', 'quality'],
    );
    await assert.rejects(engine.analyze(bytes, { algorithms: ['nope'] }), { code: 'unknown_algorithm' });
  });

  it('maps masks to restored coordinates with the restore transform', async () => {
    const a = await analyzePortrait(engine, 'person-nicole.jpg');
    const t = a.restored!.transform;
    const lm = payloadOf(a, 'facial_landmarks');
    const original = lm.masks_original.features[0]!.geometry;
    const restored = lm.masks_restored.features[0]!.geometry;
    assert.equal(original.type, 'MultiPoint');
    assert.equal(restored.type, 'MultiPoint');
    if (original.type !== 'MultiPoint' || restored.type !== 'MultiPoint') return;
    for (const i of [0, 100, 473]) {
      const back = restoredToOriginal(t, restored.coordinates[i]!);
      assert.ok(
        Math.hypot(back[0] - original.coordinates[i]![0], back[1] - original.coordinates[i]![1]) < 0.1,
      );
      const fwd = originalToRestored(t, original.coordinates[i]!);
      assert.ok(Math.hypot(fwd[0] - restored.coordinates[i]![0], fwd[1] - restored.coordinates[i]![1]) < 0.1);
    }
    const [rx, ry] = restored.coordinates[473]!;
    const [lx, ly] = restored.coordinates[468]!;
    assert.ok(Math.abs(ry - ly) < 1, 'eyes level in the restored image');
    assert.ok(Math.abs((rx + lx) / 2 - 400) < 1 && Math.abs(ry - 320) < 1, 'eyes centred');
  });
});
