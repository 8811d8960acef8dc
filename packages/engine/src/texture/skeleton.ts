import type { Mask } from '../geometry/raster.ts';

/**
 * Zhang-Suen thinning (Zhang & Suen, CACM 1984): reduces a binary mask to 8-connected,
 * one-pixel-wide centre lines. Border pixels of the image are treated as background.
 */
export function skeletonize(mask: Mask): Mask {
  const { width: w, height: h } = mask;
  const img = mask.data.slice();
  for (let x = 0; x < w; x++) {
    img[x] = 0;
    img[(h - 1) * w + x] = 0;
  }
  for (let y = 0; y < h; y++) {
    img[y * w] = 0;
    img[y * w + w - 1] = 0;
  }
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      remove.length = 0;
      for (let y = 1; y < h - 1; y++) {
        for (let x = 1; x < w - 1; x++) {
          const i = y * w + x;
          if (!img[i]) continue;
          const p2 = img[i - w]!;
          const p3 = img[i - w + 1]!;
          const p4 = img[i + 1]!;
          const p5 = img[i + w + 1]!;
          const p6 = img[i + w]!;
          const p7 = img[i + w - 1]!;
          const p8 = img[i - 1]!;
          const p9 = img[i - w - 1]!;
          const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
          if (b < 2 || b > 6) continue;
          const a =
            (p2 === 0 && p3 === 1 ? 1 : 0) +
            (p3 === 0 && p4 === 1 ? 1 : 0) +
            (p4 === 0 && p5 === 1 ? 1 : 0) +
            (p5 === 0 && p6 === 1 ? 1 : 0) +
            (p6 === 0 && p7 === 1 ? 1 : 0) +
            (p7 === 0 && p8 === 1 ? 1 : 0) +
            (p8 === 0 && p9 === 1 ? 1 : 0) +
            (p9 === 0 && p2 === 1 ? 1 : 0);
          if (a !== 1) continue;
          if (
            pass === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0
          )
            remove.push(i);
        }
      }
      for (const i of remove) img[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return { data: img, width: w, height: h };
}
