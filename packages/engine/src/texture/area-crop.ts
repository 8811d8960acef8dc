import { SRGB_TO_LINEAR } from '../colour/srgb.ts';
import type { AreaName } from '../geometry/areas.ts';
import type { FaceFrame } from '../geometry/face-frame.ts';
import { andNotInto, dilateMask, type Mask } from '../geometry/raster.ts';
import { type PixelBox, quantileOf } from '../image/filters.ts';
import { countOf } from '../image/pixel-stats.ts';
import type { FloatImage } from '../image/rgb-image.ts';

/**
 * A rectangle of the face frame around one area, with CIE L* (D65, 0-100) and the area's skin mask.
 * Texture filters run on these crops only, never on the whole frame. Crop pixel (x, y) is frame pixel
 * (x + x0, y + y0), i.e. working pixel (x + x0 + frame.x0, y + y0 + frame.y0).
 */
export interface AreaCrop {
  area: AreaName;
  x0: number;
  y0: number;
  lightness: FloatImage;
  /** The area polygon ∩ skin mask, cropped. */
  mask: Mask;
  /** Skin pixels of the area (after the edge margin). */
  skinPixels: number;
  /** Share of the area's non-feature face pixels rejected as not skin, 0-1. */
  occludedFraction: number;
}

/** CIE L* of each 8-bit sRGB code's luminance is computed through Y; this LUT maps a code to linear light. */
const LIN = SRGB_TO_LINEAR;

/** L* (0-100) of an sRGB pixel. */
export function lightnessOf(r: number, g: number, b: number): number {
  const y = 0.2126729 * LIN[r]! + 0.7151522 * LIN[g]! + 0.072175 * LIN[b]!;
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

/**
 * Pixels this much darker than the area's median L* are taken for hair (brow hairs the mesh's brow
 * polygon misses, stray hair): wrinkle valleys are 2-12 L* deep, hairs 20-50.
 */
export const HAIR_DARKER_L = 18;

/** Median of `values` where `mask` is set, over every ⌈n / 20000⌉-th pixel (0 when none). */
function medianWhere(values: Float32Array, mask: Uint8Array): number {
  const step = Math.max(1, Math.floor(values.length / 20000));
  const sample = new Float32Array(Math.ceil(values.length / step));
  let n = 0;
  for (let i = 0; i < values.length; i += step) if (mask[i]) sample[n++] = values[i]!;
  return n ? quantileOf(sample.subarray(0, n), 0.5) : 0;
}

/**
 * Over `box` (x1, y1 exclusive) of a `width`-wide frame: the number of pixels in the area polygon and
 * the skin mask, of those in the polygon and the expected skin, and the skin pixels' bounding box
 * (min x, min y, max x, max y; inclusive, and max < min when there are none).
 */
function skinExtent(
  polygon: Uint8Array,
  expected: Uint8Array,
  skin: Uint8Array,
  width: number,
  box: PixelBox,
): [number, number, number, number, number, number] {
  let minX = Number.MAX_SAFE_INTEGER;
  let minY = Number.MAX_SAFE_INTEGER;
  let maxX = -1;
  let maxY = -1;
  let skinPixels = 0;
  let inExpected = 0;
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * width;
    for (let x = box.x0; x < box.x1; x++) {
      const i = row + x;
      if (!polygon[i]) continue;
      if (expected[i]) inExpected++;
      if (!skin[i]) continue;
      skinPixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return [skinPixels, inExpected, minX, minY, maxX, maxY];
}

/** L* of the crop at (x0, y0), `w` wide, of a `width`-wide frame, and the polygon ∩ skin mask over it. */
function cropLightnessAndSkin(
  rgb: Uint8Array,
  polygon: Uint8Array,
  skin: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  lightness: Float32Array,
  mask: Uint8Array,
  w: number,
): void {
  const h = lightness.length / w;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const fi = (y + y0) * width + x + x0;
      const j = fi * 3;
      lightness[y * w + x] = lightnessOf(rgb[j]!, rgb[j + 1]!, rgb[j + 2]!);
      mask[y * w + x] = polygon[fi]! & skin[fi]!;
    }
  }
}

/**
 * Crops the frame around `area` with `padPx` of context on each side (filters need it), or null when
 * the area has no skin pixels. With `erodePx`, the mask keeps only pixels at least that far from
 * anything that is not skin of the area (brow hairs, lash lines, hairline, lip edges), whose edges
 * would otherwise read as lines or blobs; with `excludeHairDark` (default) pixels much darker than
 * the area's median count as hair too (off for blob detectors: a pore or blackhead is dark).
 */
export function cropArea(
  frame: FaceFrame,
  area: AreaName,
  padPx: number,
  erodePx = 0,
  excludeHairDark = true,
): AreaCrop | null {
  const polygon = frame.areaMask(area).data;
  const skinMask = frame.skinMask.data;
  const { width: fw, height: fh } = frame;
  const [skinPixels, expected, minX, minY, maxX, maxY] = skinExtent(
    polygon,
    frame.expectedMask.data,
    skinMask,
    fw,
    frame.areaBox(area),
  );
  const occludedFraction = expected ? 1 - skinPixels / expected : 1;
  if (skinPixels === 0) return null;
  const pad = Math.ceil(padPx);
  const x0 = Math.max(0, minX - pad);
  const y0 = Math.max(0, minY - pad);
  const x1 = Math.min(fw, maxX + pad + 1);
  const y1 = Math.min(fh, maxY + pad + 1);
  const w = x1 - x0;
  const h = y1 - y0;
  const lightness = new Float32Array(w * h);
  const mask = new Uint8Array(w * h);
  cropLightnessAndSkin(frame.rgb.data, polygon, skinMask, fw, x0, y0, lightness, mask, w);
  if (erodePx >= 1) {
    const floor = excludeHairDark ? medianWhere(lightness, mask) - HAIR_DARKER_L : Number.NEGATIVE_INFINITY;
    const outside = new Uint8Array(w * h);
    markOutside(mask, lightness, floor, outside);
    const grown = dilateMask({ data: outside, width: w, height: h }, Math.round(erodePx)).data;
    andNotInto(mask, grown, mask);
  }
  const kept = countOf(mask);
  return {
    area,
    x0,
    y0,
    lightness: { data: lightness, width: w, height: h },
    mask: { data: mask, width: w, height: h },
    skinPixels: kept,
    occludedFraction,
  };
}

/** `outside[i]` = 0 where `mask` is set and `lightness` ≥ `floor`, else 1. */
function markOutside(mask: Uint8Array, lightness: Float32Array, floor: number, outside: Uint8Array): void {
  for (let i = 0; i < outside.length; i++) outside[i] = mask[i] && lightness[i]! >= floor ? 0 : 1;
}
