import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colourMapsInput } from '../../colour/colour-maps.input.ts';
import { linearToSrgb, SRGB_TO_LINEAR } from '../../colour/srgb.ts';
import type { MetricContext } from '../../framework/metric.ts';
import type { RgbImage } from '../../image/rgb-image.ts';
import { evenImage, syntheticContext } from '../../testing/synthetic-context.ts';
import { ACNE_SCALE_SPACE_PX_PER_MM, detectLesions, separateLesions } from './acne-detect.ts';
import { blockMajority, blockMean } from './block-mean.ts';

/** Centres (mm) of the red spots painted on a 60 mm square of even skin. */
const SPOTS: [number, number][] = [
  [15, 15],
  [45, 15],
  [15, 45],
  [45, 45],
];

/**
 * Even skin at `pxPerMm` with a red papule (Gaussian, radius 2 mm: green and blue × 0.75 at its
 * centre, red raised by `redRise` codes) at each of SPOTS, then `edit` applied to the pixels.
 */
function papuleSkin(
  pxPerMm: number,
  skin: [number, number, number] = [205, 160, 140],
  redRise = 0,
  edit: (rgb: RgbImage) => void = () => {},
): MetricContext {
  const side = Math.round(60 * pxPerMm);
  const rgb = evenImage(side, side, skin, 1);
  const s = (2 * pxPerMm) / 1.4;
  for (const [mx, my] of SPOTS)
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const w = Math.exp(-((x + 0.5 - mx * pxPerMm) ** 2 + (y + 0.5 - my * pxPerMm) ** 2) / (2 * s * s));
        const j = (y * side + x) * 3;
        rgb.data[j] = Math.min(255, Math.round(rgb.data[j]! + redRise * w));
        for (const c of [1, 2]) rgb.data[j + c] = Math.round(rgb.data[j + c]! * (1 - 0.25 * w));
      }
  edit(rgb);
  return syntheticContext(rgb, pxPerMm);
}

/** Every channel times `k` in linear light (a change of exposure). */
const exposure = (k: number) => (rgb: RgbImage) => {
  for (let i = 0; i < rgb.data.length; i++) rgb.data[i] = linearToSrgb(k * SRGB_TO_LINEAR[rgb.data[i]!]!);
};

/**
 * Red moved by a random −codes..codes on each 2 × 2 block of pixels (seeded): the chroma detail that a
 * JPEG's half-resolution chroma carries and every resize or re-encode changes.
 */
const chromaNoise = (codes: number) => (rgb: RgbImage) => {
  let seed = 99;
  const offsets = new Int8Array(Math.ceil(rgb.width / 2) * Math.ceil(rgb.height / 2)).map(() => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return ((seed >>> 16) % (2 * codes + 1)) - codes;
  });
  for (let y = 0; y < rgb.height; y++)
    for (let x = 0; x < rgb.width; x++) {
      const j = (y * rgb.width + x) * 3;
      const offset = offsets[(y >> 1) * Math.ceil(rgb.width / 2) + (x >> 1)]!;
      rgb.data[j] = Math.max(0, Math.min(255, rgb.data[j]! + offset));
    }
};

const meanDeltaA = (ctx: MetricContext) => {
  const lesions = detectLesions(ctx, ctx.input(colourMapsInput));
  assert.equal(lesions.length, SPOTS.length);
  return lesions.reduce((s, l) => s + l.deltaA, 0) / lesions.length;
};

describe('detectLesions', () => {
  it('measures Δa* on the full-resolution map: the same papules read alike just below and at the resolution where the scale space is reduced', () => {
    const below = 2 * ACNE_SCALE_SPACE_PX_PER_MM - 0.1;
    const at = 2 * ACNE_SCALE_SPACE_PX_PER_MM;
    const deltas = [below, at].map((ppm) => {
      const ctx = papuleSkin(ppm);
      return detectLesions(ctx, ctx.input(colourMapsInput)).map((l) => l.deltaA);
    });
    assert.equal(deltas[0]!.length, SPOTS.length);
    assert.equal(deltas[1]!.length, SPOTS.length);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(
      Math.abs(mean(deltas[0]!) - mean(deltas[1]!)) < 0.3,
      `Δa* ${mean(deltas[0]!).toFixed(2)} at ${below} px/mm, ${mean(deltas[1]!).toFixed(2)} at ${at}`,
    );
  });

  it('finds each red papule once, at its place, whether the scale space runs on the full map or a reduced one', () => {
    for (const ppm of [3, 4.5 * ACNE_SCALE_SPACE_PX_PER_MM]) {
      const ctx = papuleSkin(ppm);
      const lesions = detectLesions(ctx, ctx.input(colourMapsInput));
      assert.equal(lesions.length, SPOTS.length, `${ppm} px/mm: ${lesions.length} lesions`);
      for (const [mx, my] of SPOTS) {
        const near = lesions.filter((l) => Math.hypot(l.x / ppm - mx, l.y / ppm - my) < 1);
        assert.equal(near.length, 1, `${ppm} px/mm: spot at (${mx}, ${my}) mm`);
        const diameterMm = (2 * near[0]!.radiusPx) / ppm;
        assert.ok(diameterMm >= 2 && diameterMm <= 6, `${ppm} px/mm: diameter ${diameterMm} mm`);
      }
    }
  });
});

describe('detectLesions under changes of the file, not the skin', () => {
  it('reads the same redness on the same papules with the photo 30% darker (a* and L* + 16 scale alike)', () => {
    const ppm = 3;
    const bright = meanDeltaA(papuleSkin(ppm));
    const dark = meanDeltaA(papuleSkin(ppm, undefined, 0, exposure(0.7)));
    // Unscaled, a* differences shrink by 0.7^⅓ (11%).
    assert.ok(Math.abs(dark / bright - 1) < 0.03, `Δa* ${bright.toFixed(2)} → ${dark.toFixed(2)}`);
  });

  it('reads the same redness with block-level chroma noise added (the peak is not one pixel)', () => {
    const ppm = 3;
    const plain = meanDeltaA(papuleSkin(ppm));
    const checked = meanDeltaA(papuleSkin(ppm, undefined, 0, chromaNoise(6)));
    assert.ok(Math.abs(checked - plain) < 0.3, `Δa* ${plain.toFixed(2)} → ${checked.toFixed(2)}`);
  });
});

describe('detectLesions on bright skin', () => {
  it('finds papules whose core has its red channel clipped (bright skin, R 246; the core reaches 255)', () => {
    const ppm = 3;
    const ctx = papuleSkin(ppm, [246, 196, 176], 9);
    const colour = ctx.input(colourMapsInput);
    const clipped = colour.skin.reduce((n, v, i) => n + (colour.skinRegion[i] && !v ? 1 : 0), 0);
    assert.ok(clipped > 0, "the papules' cores are clipped");
    const lesions = detectLesions(ctx, colour);
    for (const [mx, my] of SPOTS)
      assert.equal(
        lesions.filter((l) => Math.hypot(l.x / ppm - mx, l.y / ppm - my) < 1).length,
        1,
        `spot at (${mx}, ${my}) mm: ${lesions.length} lesions`,
      );
    assert.equal(lesions.length, SPOTS.length);
  });
});

describe('separateLesions', () => {
  const lesion = (x: number, y: number, radiusPx: number, score: number) => ({ x, y, radiusPx, score });

  it('keeps the higher-scored of two overlapping discs and every disc that overlaps none kept', () => {
    const a = lesion(10, 10, 4, 1);
    const b = lesion(16, 10, 3, 2); // 6 px from a, radii sum 7: overlaps, scores higher
    const c = lesion(30, 10, 3, 0.5); // 14 px from b, radii sum 6: apart
    const d = lesion(10, 16.9, 3, 0.8); // 6.9 px from a (dropped), 9.1 px from b: kept
    assert.deepEqual(separateLesions([a, b, c, d]), [b, d, c]);
  });

  it('keeps discs that only touch (centre distance equal to the sum of the radii)', () => {
    const out = separateLesions([lesion(0, 0, 2, 1), lesion(5, 0, 3, 1)]);
    assert.equal(out.length, 2);
  });
});

describe('blockMean', () => {
  it('averages f × f blocks, the blocks cut by the edge over their pixels inside', () => {
    const image = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), width: 3, height: 3 };
    assert.deepEqual(Array.from(blockMean(image, 2).data), [3, 4.5, 7.5, 9]);
    assert.deepEqual(
      Array.from(blockMajority(Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 0]), 3, 3, 2)),
      [1, 1, 0, 0],
    );
  });
});
