import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeImage } from '../image/decode.ts';
import { FACES_DIR } from '../testing/faces.ts';
import { FaceModels } from './face-models.ts';
import { POINT } from './mesh-indices.ts';
import { turnedFrame, unturnFace } from './turned-frames.ts';

/** A close-up of the acne04 set with the subject lying on her side (the face turned by a quarter). */
const SIDEWAYS = join(FACES_DIR, 'acne04', 'images', 'acne04_222.jpg');

describe('turned frames', () => {
  for (const turns of [1, 3] as const) {
    it(`maps a face found on the frame turned ${turns} quarter(s) back onto the frame`, () => {
      const width = 7;
      const height = 4;
      const data = new Uint8Array(width * height * 3);
      data[(2 * width + 5) * 3] = 255;
      const turned = turnedFrame({ data, width, height }, turns);
      assert.equal(turned.width, height);
      assert.equal(turned.height, width);
      const k = turned.data.indexOf(255) / 3;
      const at = [(k % turned.width) + 0.5, Math.floor(k / turned.width) + 0.5];
      const face = unturnFace(
        {
          box: [at[0]! - 0.5, at[1]! - 0.5, 1, 1],
          landmarks: Float32Array.of(at[0]!, at[1]!, 3),
          score: 1,
          angles: null,
        },
        turns,
        width,
        height,
      );
      assert.deepEqual([...face.landmarks], [5.5, 2.5, 3]);
      assert.deepEqual(face.box, [5, 2, 1, 1]);
    });
  }

  it('finds a face lying sideways that the upright passes miss, with the mesh the right way round', async () => {
    const image = (await decodeImage(await readFile(SIDEWAYS))).rgb;
    const models = await FaceModels.load();
    const faces = await models.detect(image);
    assert.equal(faces.length, 1);
    const lm = faces[0]!.landmarks;
    const x = (i: number) => lm[i * 3]!;
    const y = (i: number) => lm[i * 3 + 1]!;
    for (const i of [POINT.foreheadTop, POINT.chin]) {
      assert.ok(x(i) > 0 && x(i) < image.width && y(i) > 0 && y(i) < image.height, `point ${i} inside`);
    }
    // Lying sideways: the chin-to-forehead axis runs across the photo, not up it.
    const dx = x(POINT.foreheadTop) - x(POINT.chin);
    const dy = y(POINT.foreheadTop) - y(POINT.chin);
    assert.ok(Math.abs(dx) > 2 * Math.abs(dy), `axis ${dx.toFixed(0)}, ${dy.toFixed(0)}`);
  });
});
