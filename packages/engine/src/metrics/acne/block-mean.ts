import type { FloatImage } from '../../image/rgb-image.ts';

/**
 * The image reduced by an integer factor f: each output pixel is the mean of an f × f block of input
 * pixels (the blocks of the last row and column may be cut by the image's edge). Output size
 * ⌈width / f⌉ × ⌈height / f⌉; output pixel (x, y) covers input pixels [x·f, (x + 1)·f).
 */
export function blockMean(image: FloatImage, f: number): FloatImage {
  const { width: w, height: h, data } = image;
  const ow = Math.ceil(w / f);
  const oh = Math.ceil(h / f);
  const sum = new Float32Array(ow * oh);
  const count = new Float32Array(ow * oh);
  for (let y = 0; y < h; y++) {
    const row = Math.floor(y / f) * ow;
    for (let x = 0; x < w; x++) {
      const o = row + Math.floor(x / f);
      sum[o]! += data[y * w + x]!;
      count[o]! += 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! / count[i]!;
  return { data: sum, width: ow, height: oh };
}

/** A 0/1 mask reduced like blockMean: 1 where at least half of the block's pixels are set. */
export function blockMajority(mask: Uint8Array, width: number, height: number, f: number): Uint8Array {
  const mean = blockMean({ data: Float32Array.from(mask), width, height }, f).data;
  return Uint8Array.from(mean, (v) => (v >= 0.5 ? 1 : 0));
}
