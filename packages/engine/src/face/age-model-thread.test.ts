import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { buildFaceGeometry } from '../geometry/face-geometry.ts';
import { decodeImage } from '../image/decode.ts';
import { portraitPath } from '../testing/faces.ts';
import { AgeModel } from './age-model.ts';
import { AgeModelThread } from './age-model-thread.ts';
import { FaceModels } from './face-models.ts';

let thread: AgeModelThread;
before(() => {
  thread = AgeModelThread.start();
});
after(async () => {
  await thread.dispose();
});

describe('the age model in a thread of its own', () => {
  it('gives exactly what the age model gives in this thread, for one view and for two', async () => {
    const faces = await FaceModels.load({ warmUp: false });
    const local = await AgeModel.load();
    const decoded = await decodeImage(await readFile(portraitPath('ageitgey__examples_biden.jpg')));
    const [detected] = await faces.detect(decoded.rgb);
    assert.ok(detected);
    const face = buildFaceGeometry(detected, decoded.rgb);
    const views = [
      { ipdShare: 0.25, eyeY: 0.42, flip: false },
      { ipdShare: 0.25, eyeY: 0.42, flip: true },
    ];
    assert.deepEqual(await thread.estimate(decoded.rgb, face), await local.estimate(decoded.rgb, face));
    const [a, b] = await Promise.all([
      thread.estimate(decoded.rgb, face, views),
      local.estimate(decoded.rgb, face, views),
    ]);
    assert.deepEqual(a, b);
    assert.equal(a.viewAges.length, 2);
    assert.ok(a.age > 30 && a.age < 90, `age ${a.age}`);
  });

  it('rejects a request once its thread has ended', async () => {
    const ended = AgeModelThread.start();
    await ended.dispose();
    const image = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
    const eyes = { rightEye: [20, 30] as const, leftEye: [44, 30] as const, ipdPx: 24 };
    await assert.rejects(ended.estimate(image, eyes), /exited/);
  });
});
