import type { Mask } from '../geometry/raster.ts';

/** One 8-connected component of a mask: its pixel indices (row-major) and bounding box. */
export interface Component {
  pixels: Int32Array;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** 8-connected components of a binary mask (flood fill with an explicit stack). */
export function connectedComponents(mask: Mask, minPixels = 1): Component[] {
  const { width: w, height: h, data } = mask;
  const seen = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  const out: Component[] = [];
  const buf: number[] = [];
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || seen[start]) continue;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    buf.length = 0;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    while (top > 0) {
      const i = stack[--top]!;
      buf.push(i);
      const x = i % w;
      const y = (i - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (!data[j] || seen[j]) continue;
          seen[j] = 1;
          stack[top++] = j;
        }
      }
    }
    if (buf.length >= minPixels) out.push({ pixels: Int32Array.from(buf), x0, y0, x1, y1 });
  }
  return out;
}
