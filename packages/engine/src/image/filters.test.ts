import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boxMean, convolveSeparable, gaussianBlur, gaussianKernel, quantileOf } from './filters.ts';

/** The separable convolution written plainly: every tap clamped, summed in kernel order in double precision. */
function plainConvolution(data: Float32Array, w: number, h: number, kernel: Float32Array): Float32Array {
  const r = (kernel.length - 1) >> 1;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += data[y * w + clamp(x + k, w)]! * kernel[k + r]!;
      tmp[y * w + x] = s;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += tmp[clamp(y + k, h) * w + x]! * kernel[k + r]!;
      out[y * w + x] = s;
    }
  return out;
}

describe('filters', () => {
  it('builds a normalised Gaussian kernel', () => {
    const k = gaussianKernel(2);
    assert.equal(k.length, 13);
    assert.ok(Math.abs(k.reduce((s, v) => s + v, 0) - 1) < 1e-6);
    assert.ok(k[6]! > k[5]! && k[5]! > k[4]!);
  });

  it('keeps a constant image constant and spreads an impulse with the expected variance', () => {
    const w = 41;
    const flat = gaussianBlur({ data: new Float32Array(w * w).fill(7), width: w, height: w }, 3);
    assert.ok(flat.data.every((v) => Math.abs(v - 7) < 1e-4));
    const impulse = new Float32Array(w * w);
    impulse[20 * w + 20] = 1;
    const blurred = gaussianBlur({ data: impulse, width: w, height: w }, 3);
    let varX = 0;
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) varX += blurred.data[y * w + x]! * (x - 20) ** 2;
    assert.ok(Math.abs(varX - 9) < 0.2, `variance ${varX}`);
  });

  it('convolves exactly as the plain clamped sum, on images narrower and wider than the kernel', () => {
    for (const [w, h, sigma] of [
      [37, 23, 1.3],
      [5, 40, 2.5],
      [41, 3, 2.5],
      [1, 1, 0.8],
      [66, 51, 4],
    ] as const) {
      const data = Float32Array.from({ length: w * h }, (_, i) => Math.sin(i * 0.37) * 40 + (i % 97));
      const kernel = gaussianKernel(sigma);
      assert.deepEqual(
        convolveSeparable({ data, width: w, height: h }, kernel).data,
        plainConvolution(data, w, h, kernel),
        `${w} × ${h}, σ ${sigma}`,
      );
    }
  });

  it('box mean honours weights', () => {
    const data = new Float32Array([1, 1, 1, 9, 9, 9]);
    const weights = new Uint8Array([1, 1, 1, 0, 0, 0]);
    const out = boxMean({ data, width: 6, height: 1 }, 2, weights);
    assert.equal(out.data[3], 1);
    assert.equal(quantileOf([5, 1, 3], 0.5), 3);
  });
});
