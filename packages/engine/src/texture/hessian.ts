import { gaussianBlur } from '../image/filters.ts';
import { frameFloat32, giveBack } from '../image/frame-buffers.ts';
import type { FloatImage } from '../image/rgb-image.ts';

/**
 * Scale-normalised Hessian of an image at Gaussian scale σ (px): the image is blurred with σ, then
 * second differences are taken (central, 3-point). Each entry is multiplied by σ² (Lindeberg's
 * γ = 2 normalisation), so responses of the same structure compare across scales. Also returns the
 * σ-normalised gradient magnitude (σ·|∇I|), used to tell valleys from step edges (absent when not
 * asked for).
 */
export interface Hessian {
  xx: Float32Array;
  yy: Float32Array;
  xy: Float32Array;
  gradient?: Float32Array;
  width: number;
  height: number;
}

/** Options of hessianScaleSpace. */
export interface ScaleSpaceOptions {
  /** Only at the pixels it sets (0 elsewhere). */
  within?: Uint8Array;
  /** Also the gradient magnitude. Default true. */
  gradient?: boolean;
}

/**
 * Gaussian scale space for ascending σ values, each level blurred from the previous one by
 * √(σ² − σ_prev²) (semigroup property), so large scales cost short kernels. Yields σ and its Hessian;
 * the levels share their arrays (frame buffers), so a level's Hessian holds until the next is asked for.
 */
export function* hessianScaleSpace(
  image: FloatImage,
  sigmas: readonly number[],
  options: ScaleSpaceOptions = {},
): Generator<[number, Hessian]> {
  const { width, height } = image;
  const n = width * height;
  const levels = [frameFloat32(n), frameFloat32(n)];
  const into: Hessian = {
    xx: frameFloat32(n),
    yy: frameFloat32(n),
    xy: frameFloat32(n),
    gradient: options.gradient === false ? undefined : frameFloat32(n),
    width,
    height,
  };
  let current = image;
  let previous = 0;
  let k = 0;
  for (const sigma of [...sigmas].sort((a, b) => a - b)) {
    current = gaussianBlur(current, Math.sqrt(sigma * sigma - previous * previous), levels[k++ % 2]);
    previous = sigma;
    yield [sigma, hessianOfBlurred(current, sigma, options.within, into)];
  }
  // Iterated to the end: the consumer is done with the levels and the last Hessian.
  giveBack(...levels, into.xx, into.yy, into.xy, ...(into.gradient ? [into.gradient] : []));
}

/**
 * Hessian of an image already blurred at scale σ, into `into`'s arrays (its gradient only when it
 * has one); with `within`, only at the pixels it sets, the others left as they are.
 */
function hessianOfBlurred(
  blurred: FloatImage,
  sigma: number,
  within: Uint8Array | undefined,
  into: Hessian,
): Hessian {
  const b = blurred.data;
  const { width: w, height: h } = blurred;
  const { xx, yy, xy, gradient } = into;
  const s2 = sigma * sigma;
  const s2q = s2 / 4;
  const halfSigma = sigma / 2;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const up = (y > 0 ? y - 1 : 0) * w;
    const down = (y < h - 1 ? y + 1 : h - 1) * w;
    for (let x = 0; x < w; x++) {
      if (within && !within[row + x]) continue;
      const xm = x > 0 ? x - 1 : 0;
      const xp = x < w - 1 ? x + 1 : w - 1;
      const c = b[row + x]!;
      const l = b[row + xm]!;
      const r = b[row + xp]!;
      const u = b[up + x]!;
      const d = b[down + x]!;
      const i = row + x;
      xx[i] = (l - 2 * c + r) * s2;
      yy[i] = (u - 2 * c + d) * s2;
      xy[i] = (b[down + xp]! - b[down + xm]! - b[up + xp]! + b[up + xm]!) * s2q;
      if (gradient) {
        const gx = r - l;
        const gy = d - u;
        gradient[i] = Math.sqrt(gx * gx + gy * gy) * halfSigma;
      }
    }
  }
  return { xx, yy, xy, gradient, width: w, height: h };
}
