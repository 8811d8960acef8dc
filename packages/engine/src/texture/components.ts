import { labelRegions } from '../colour/regions.ts';
import type { Mask } from '../geometry/raster.ts';
import { giveBack } from '../image/frame-buffers.ts';

/** One 8-connected component of a mask: its pixel indices (row-major) and bounding box. */
export interface Component {
  pixels: Int32Array;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** 8-connected components of a binary mask (labelRegions), each with its pixels in row-major order. */
export function connectedComponents(mask: Mask, minPixels = 1): Component[] {
  const { labels, regions } = labelRegions(mask.data, mask.width, mask.height);
  const pixels = regions.map((r) => new Int32Array(r.area));
  const filled = new Int32Array(regions.length);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]! - 1;
    if (k >= 0) pixels[k]![filled[k]!++] = i;
  }
  giveBack(labels);
  return regions.flatMap((r, k) =>
    r.area >= minPixels ? [{ pixels: pixels[k]!, x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 }] : [],
  );
}
