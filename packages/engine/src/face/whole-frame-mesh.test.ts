import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeImage } from '../image/decode.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { FACES_DIR } from '../testing/faces.ts';
import { FaceModels } from './face-models.ts';
import { LEFT_EYE, POINT, RIGHT_EYE } from './mesh-indices.ts';

/** A right-facing profile close-up of the acne04 set that BlazeFace does not find. */
const PROFILE = join(FACES_DIR, 'acne04', 'images', 'acne04_052.jpg');

let detectorOnly: FaceModels;
let withFallback: FaceModels;

before(async () => {
  detectorOnly = await FaceModels.load({ wholeFrameFallback: false });
  withFallback = await FaceModels.load();
});

async function rgbOf(path: string): Promise<RgbImage> {
  return (await decodeImage(await readFile(path))).rgb;
}

const x = (lm: Float32Array, i: number) => lm[i * 3]!;
const meanX = (lm: Float32Array, idx: readonly number[]) =>
  idx.reduce((s, i) => s + x(lm, i), 0) / idx.length;

describe('whole-frame mesh fallback', () => {
  it('finds the face of a profile close-up the detector misses, facing the right way', async () => {
    const image = await rgbOf(PROFILE);
    assert.equal((await detectorOnly.detect(image)).length, 0, 'the detector alone finds no face');
    const faces = await withFallback.detect(image);
    assert.equal(faces.length, 1);
    const lm = faces[0]!.landmarks;
    assert.equal(lm.length, 478 * 3);
    // The subject looks towards the image's right: the nose tip lies right of both eyes.
    const eyes = Math.max(meanX(lm, RIGHT_EYE), meanX(lm, LEFT_EYE));
    assert.ok(x(lm, POINT.noseTip) > eyes, `nose ${x(lm, POINT.noseTip)} right of the eyes ${eyes}`);
    // The chin is below the nose, and both lie inside the frame.
    const y = (i: number) => lm[i * 3 + 1]!;
    assert.ok(y(POINT.chin) > y(POINT.noseTip));
    for (const i of [POINT.noseTip, POINT.chin]) {
      assert.ok(x(lm, i) > 0 && x(lm, i) < image.width && y(i) > 0 && y(i) < image.height);
    }
  });

  it('finds no face in smooth noise', async () => {
    const size = 400;
    const data = new Uint8Array(size * size * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
    const blurred = new Uint8Array(data.length);
    for (let yy = 0; yy < size; yy++)
      for (let xx = 0; xx < size; xx++)
        for (let c = 0; c < 3; c++) {
          let s = 0;
          let n = 0;
          for (let d = -4; d <= 4; d++) {
            const k = xx + d;
            if (k < 0 || k >= size) continue;
            s += data[(yy * size + k) * 3 + c]!;
            n++;
          }
          blurred[(yy * size + xx) * 3 + c] = s / n;
        }
    assert.equal((await withFallback.detect({ data: blurred, width: size, height: size })).length, 0);
  });
});
