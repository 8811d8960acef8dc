import type { Mask } from '../geometry/raster.ts';

/**
 * Hysteresis threshold (Canny 1986): pixels ≥ `high` seed, and every 8-connected pixel ≥ `low`
 * reachable from a seed joins. Only pixels set in `within` (if given) take part.
 */
export function hysteresis(
  values: Float32Array,
  width: number,
  height: number,
  low: number,
  high: number,
  within?: Uint8Array,
): Mask {
  const n = width * height;
  const out = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  for (let i = 0; i < n; i++) {
    if (values[i]! >= high && (!within || within[i])) {
      out[i] = 1;
      stack[top++] = i;
    }
  }
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % width;
    const y = (i - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        if (out[j] || values[j]! < low || (within && !within[j])) continue;
        out[j] = 1;
        stack[top++] = j;
      }
    }
  }
  return { data: out, width, height };
}
