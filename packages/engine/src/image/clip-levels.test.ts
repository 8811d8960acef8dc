import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearToSrgb, SRGB_TO_LINEAR } from '../colour/srgb.ts';
import { mulberry32 } from '../testing/inject-colour.ts';
import { CLIP_CODE, clipLevels } from './clip-levels.ts';

const N = 20_000;

/** Skin-like pixels: R about 200 ± 25, G and B lower; `saturated` of them have R pushed to 255. */
function skinPixels(saturated: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  const gauss = () => (rand() + rand() + rand() + rand() - 2) * 1.73;
  const rgb = new Uint8Array(N * 3);
  for (let i = 0; i < N; i++) {
    const r = 200 + 25 * gauss();
    rgb[i * 3] = Math.max(0, Math.min(255, Math.round(i < saturated * N ? 255 : r)));
    rgb[i * 3 + 1] = Math.max(0, Math.min(255, Math.round(r - 50)));
    rgb[i * 3 + 2] = Math.max(0, Math.min(255, Math.round(r - 70)));
  }
  return rgb;
}

/** Every code's linear value scaled by `factor`, then ±2 codes of noise (JPEG smears a pile-up). */
function darkened(rgb: Uint8Array, factor: number, seed: number): Uint8Array {
  const rand = mulberry32(seed);
  return rgb.map((v) =>
    Math.max(0, Math.min(255, linearToSrgb(SRGB_TO_LINEAR[v]! * factor) + Math.round(4 * rand() - 2))),
  );
}

const all = new Uint8Array(N).fill(1);

describe('clipLevels', () => {
  it('keeps the fixed level on skin that thins out towards its top, bright or darkened', () => {
    const skin = skinPixels(0, 1);
    assert.deepEqual(clipLevels(skin, all), [CLIP_CODE, CLIP_CODE, CLIP_CODE]);
    assert.deepEqual(clipLevels(darkened(skin, 0.8, 2), all), [CLIP_CODE, CLIP_CODE, CLIP_CODE]);
  });

  it('finds a saturated channel after the photo was darkened, and only that channel', () => {
    const skin = skinPixels(0.25, 3);
    const [r, g, b] = clipLevels(darkened(skin, 0.8, 4), all);
    const pile = linearToSrgb(SRGB_TO_LINEAR[255]! * 0.8);
    assert.ok(r < pile - 1 && r > pile - 10, `red level ${r} for a pile-up at ${pile}`);
    assert.equal(g, CLIP_CODE);
    assert.equal(b, CLIP_CODE);
  });

  it('takes an even patch for one narrow mode, not a pile-up', () => {
    const rand = mulberry32(7);
    const patch = new Uint8Array(N * 3).map((_, i) => [190, 140, 120][i % 3]! + Math.round(4 * rand() - 2));
    assert.deepEqual(clipLevels(patch, all), [CLIP_CODE, CLIP_CODE, CLIP_CODE]);
  });

  it('reads only the masked pixels', () => {
    const skin = darkened(skinPixels(0.25, 5), 0.8, 6);
    const unsaturatedOnly = all.map((_, i) => (i < 0.25 * N ? 0 : 1));
    assert.deepEqual(clipLevels(skin, unsaturatedOnly), [CLIP_CODE, CLIP_CODE, CLIP_CODE]);
  });
});
