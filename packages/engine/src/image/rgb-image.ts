import { frameFloat32, frameUint8 } from './frame-buffers.ts';

/** An interleaved 8-bit RGB image (row-major, 3 bytes a pixel). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A single-channel float image (row-major). */
export interface FloatImage {
  data: Float32Array;
  width: number;
  height: number;
}

/**
 * Copies the rectangle [x0, x0+w) × [y0, y0+h) of an RGB image; the rectangle must lie inside it.
 * The copy is a frame buffer (image/frame-buffers.ts): made inside a metric run, it must not outlive it.
 */
export function cropRgb(image: RgbImage, x0: number, y0: number, w: number, h: number): RgbImage {
  const out = frameUint8(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * image.width + x0) * 3;
    out.set(image.data.subarray(src, src + w * 3), y * w * 3);
  }
  return { data: out, width: w, height: h };
}

/** Copies the w × h window at (x0, y0) of the `width`-wide single-channel `values` into `out` (w × h); returns `out`. */
export function copyWindow<T extends Uint8Array | Float32Array>(
  values: T,
  width: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  out: T,
): T {
  for (let y = 0; y < h; y++) {
    const src = (y + y0) * width + x0;
    out.set(values.subarray(src, src + w), y * w);
  }
  return out;
}

/** Rec. 601 luma (0-255) of the pixel whose red byte is at `j` in interleaved RGB `data`. */
export function lumaAt(data: Uint8Array, j: number): number {
  return 0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!;
}

/** Rec. 601 luma of an RGB image as floats in 0-255 (a frame buffer, as cropRgb's copy). */
export function lumaOf(image: RgbImage): FloatImage {
  const n = image.width * image.height;
  const out = frameFloat32(n);
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = lumaAt(d, j);
  return { data: out, width: image.width, height: image.height };
}

/**
 * Channel `c` (0-2) of the packed RGB `data` (`width` pixels wide) at (sx, sy) by bilinear
 * interpolation, pixel (x, y)'s centre at (x, y); the caller keeps 0 ≤ sx < width − 1 and
 * 0 ≤ sy < height − 1. Values 0-255.
 */
export function bilinearChannel(data: Uint8Array, width: number, sx: number, sy: number, c: number): number {
  const ix = sx | 0;
  const iy = sy | 0;
  const fx = sx - ix;
  const fy = sy - iy;
  const i00 = (iy * width + ix) * 3 + c;
  const i01 = i00 + width * 3;
  const top = data[i00]! + (data[i00 + 3]! - data[i00]!) * fx;
  const bottom = data[i01]! + (data[i01 + 3]! - data[i01]!) * fx;
  return top + (bottom - top) * fy;
}
