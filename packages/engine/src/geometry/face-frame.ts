import {
  LEFT_BROW,
  LEFT_EYE,
  LEFT_NOSTRIL,
  LIPS_OUTER,
  RIGHT_BROW,
  RIGHT_EYE,
  RIGHT_NOSTRIL,
} from '../face/mesh-indices.ts';
import type { PixelBox } from '../image/filters.ts';
import { frameFloat32, giveBack } from '../image/frame-buffers.ts';
import { robustCentreAndSpread } from '../image/histogram.ts';
import { countOf } from '../image/pixel-stats.ts';
import { cropRgb, type RgbImage } from '../image/rgb-image.ts';
import type { AreaName } from './areas.ts';
import type { FaceGeometry } from './face-geometry.ts';
import { landmarkPoint } from './face-geometry.ts';
import { boundingBox, convexHull, type Point } from './polygon.ts';
import {
  andInBox,
  andNotInto,
  countMask,
  dilateMask,
  emptyMask,
  fillPolygon,
  intersectMasks,
  type Mask,
} from './raster.ts';

/**
 * The face region of the working image: a crop around the face oval, with the masks every metric
 * shares. Metrics work here, not on the whole photo. Frame pixel (x, y) is working pixel
 * (x + x0, y + y0).
 */
export interface FaceFrame {
  x0: number;
  y0: number;
  width: number;
  height: number;
  rgb: RgbImage;
  /** Inside the face oval. */
  faceMask: Mask;
  /** Eyes, brows, lips and nostrils, slightly dilated. */
  featureMask: Mask;
  /** Face oval minus features: where skin is expected. */
  expectedMask: Mask;
  /** Face oval minus features minus pixels whose colour is not skin (hair, glasses, hands, deep shadow). */
  skinMask: Mask;
  /** Share of the expected skin (face oval minus features) rejected as not skin, 0-1. */
  occludedFraction: number;
  /** Area polygon rasterised and intersected with the skin mask (cached per frame). */
  areaSkinMask(area: AreaName): Mask;
  /** Area polygon rasterised alone (cached per frame). */
  areaMask(area: AreaName): Mask;
  /**
   * Frame pixels that can lie inside the area polygon: its bounding box grown to whole pixels and
   * clipped to the frame (x1, y1 exclusive; empty when the polygon is off the frame). Every set pixel
   * of `areaMask(area)` and `areaSkinMask(area)` is inside it, so loops over an area walk this box.
   */
  areaBox(area: AreaName): PixelBox;
  /** Share of an area's non-feature pixels rejected as not skin, 0-1 (cached per frame). */
  areaOccludedFraction(area: AreaName): number;
}

/** Margin around the face oval's bounding box, as a share of its size. */
const FRAME_MARGIN = 0.08;

export function buildFaceFrame(image: RgbImage, face: FaceGeometry): FaceFrame {
  const box = boundingBox(face.areas.face);
  const mx = (box.x1 - box.x0) * FRAME_MARGIN;
  const my = (box.y1 - box.y0) * FRAME_MARGIN;
  const x0 = Math.max(0, Math.floor(box.x0 - mx));
  const y0 = Math.max(0, Math.floor(box.y0 - my));
  const x1 = Math.min(image.width, Math.ceil(box.x1 + mx));
  const y1 = Math.min(image.height, Math.ceil(box.y1 + my));
  const width = Math.max(1, x1 - x0);
  const height = Math.max(1, y1 - y0);
  const rgb = cropRgb(image, x0, y0, width, height);
  const offset: Point = [x0, y0];

  const faceMask = emptyMask(width, height);
  fillPolygon(faceMask, face.areas.face, offset);

  const featureMask = buildFeatureMask(face, width, height, offset);
  const expected = emptyMask(width, height);
  andNotInto(faceMask.data, featureMask.data, expected.data);
  const colourOk = skinColourMask(rgb, expected);
  const skinMask = intersectMasks(expected, colourOk);
  giveBack(colourOk.data);
  const expectedCount = countMask(expected);
  const occludedFraction = expectedCount ? 1 - countMask(skinMask) / expectedCount : 1;

  const areaCache = new Map<AreaName, Mask>();
  const skinCache = new Map<AreaName, Mask>();
  const boxCache = new Map<AreaName, PixelBox>();
  const occludedCache = new Map<AreaName, number>();
  const areaBox = (area: AreaName): PixelBox => {
    let b = boxCache.get(area);
    if (!b) {
      const p = boundingBox(face.areas[area]);
      const bx0 = Math.max(0, Math.floor(p.x0 - x0));
      const by0 = Math.max(0, Math.floor(p.y0 - y0));
      const bx1 = Math.min(width, Math.ceil(p.x1 - x0) + 1);
      const by1 = Math.min(height, Math.ceil(p.y1 - y0) + 1);
      b = bx1 > bx0 && by1 > by0 ? { x0: bx0, y0: by0, x1: bx1, y1: by1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
      boxCache.set(area, b);
    }
    return b;
  };
  const areaMask = (area: AreaName): Mask => {
    let m = areaCache.get(area);
    if (!m) {
      m = emptyMask(width, height);
      fillPolygon(m, face.areas[area], offset);
      areaCache.set(area, m);
    }
    return m;
  };
  const areaSkinMask = (area: AreaName): Mask => {
    let m = skinCache.get(area);
    if (!m) {
      m = emptyMask(width, height);
      andInBox(areaMask(area).data, skinMask.data, m.data, width, areaBox(area));
      skinCache.set(area, m);
    }
    return m;
  };
  const areaOccludedFraction = (area: AreaName): number => {
    let f = occludedCache.get(area);
    if (f === undefined) {
      f = occludedInBox(areaMask(area).data, expected.data, skinMask.data, width, areaBox(area));
      occludedCache.set(area, f);
    }
    return f;
  };
  return {
    x0,
    y0,
    width,
    height,
    rgb,
    faceMask,
    featureMask,
    expectedMask: expected,
    skinMask,
    occludedFraction,
    areaMask,
    areaBox,
    areaSkinMask,
    areaOccludedFraction,
  };
}

/** Share of the `area`-and-`expected` pixels in `box` that are not `skin` too, 0-1; 1 when there are none. */
function occludedInBox(
  area: Uint8Array,
  expected: Uint8Array,
  skin: Uint8Array,
  width: number,
  box: PixelBox,
): number {
  let inArea = 0;
  let kept = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) {
      inArea += area[i]! & expected[i]!;
      kept += area[i]! & skin[i]!;
    }
  return inArea ? 1 - kept / inArea : 1;
}

function buildFeatureMask(face: FaceGeometry, width: number, height: number, offset: Point): Mask {
  const point = (i: number) => landmarkPoint(face.landmarks, i);
  const mask = emptyMask(width, height);
  for (const ring of [RIGHT_EYE, LEFT_EYE, RIGHT_BROW, LEFT_BROW, LIPS_OUTER])
    fillPolygon(mask, ring.map(point), offset);
  for (const set of [RIGHT_NOSTRIL, LEFT_NOSTRIL]) fillPolygon(mask, convexHull(set.map(point)), offset);
  const dilated = dilateMask(mask, Math.max(1, Math.round(face.pxPerMm * 1.2)));
  giveBack(mask.data);
  return dilated;
}

/**
 * Marks pixels whose colour is consistent with the face's own skin. Reference: median and MAD of
 * Cb, Cr (BT.601) and luma over the expected skin whose chroma leans red (Cr > Cb; histogram
 * quantiles, 1/4-level bins). A pixel fails when its chroma does not lean red, lies more than
 * 4 robust SDs (at least 10 levels) from the median, or its luma is under 30% of the median
 * (hair, dark glasses, deep shadow) or saturates while the median does not (glare on glasses).
 */
function skinColourMask(rgb: RgbImage, expected: Mask): Mask {
  const n = rgb.width * rgb.height;
  const expectedCount = countOf(expected.data);
  const cb = frameFloat32(expectedCount);
  const cr = frameFloat32(expectedCount);
  const luma = frameFloat32(expectedCount);
  const d = rgb.data;
  const m = lumaChromaUnder(d, expected.data, n, luma, cb, cr);
  const out = emptyMask(rgb.width, rgb.height);
  // The face's own skin colour is learnt from the pixels whose chroma leans red (Cr > Cb, as skin of
  // every tone does: under 0.5% of the skin of the shared portraits falls outside it, apart from one
  // grey-cast photo at 3%); neutral or blue surfaces (paint, a mask, grey hair, glasses) never count,
  // however much of the face they cover.
  const p = keepRedLeaning(luma, cb, cr, m);
  if (p >= 50) {
    const [mCb, sCb] = robustCentreAndSpread(cb.subarray(0, p), 0, 256);
    const [mCr, sCr] = robustCentreAndSpread(cr.subarray(0, p), 0, 256);
    const [mY] = robustCentreAndSpread(luma.subarray(0, p), 0, 256);
    const tCb = Math.max(10, 4 * sCb);
    const tCr = Math.max(10, 4 * sCr);
    markSkinColour(d, expected.data, n, mCb, tCb, mCr, tCr, 0.3 * mY, out.data);
  }
  giveBack(cb, cr, luma);
  return out;
}

/**
 * Writes luma, Cb and Cr (BT.601) of the RGB pixels `d` set in `mask` (the first `n` pixels) into
 * `luma`, `cb`, `cr` in raster order; returns how many it wrote.
 */
function lumaChromaUnder(
  d: Uint8Array,
  mask: Uint8Array,
  n: number,
  luma: Float32Array,
  cb: Float32Array,
  cr: Float32Array,
): number {
  let m = 0;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    if (!mask[i]) continue;
    const r = d[j]!;
    const g = d[j + 1]!;
    const b = d[j + 2]!;
    luma[m] = 0.299 * r + 0.587 * g + 0.114 * b;
    cb[m] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    cr[m] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    m++;
  }
  return m;
}

/** Moves the entries k < m with Cr > Cb to the front of `luma`, `cb`, `cr` (in order); returns their number. */
function keepRedLeaning(luma: Float32Array, cb: Float32Array, cr: Float32Array, m: number): number {
  let p = 0;
  for (let k = 0; k < m; k++) {
    if (cr[k]! <= cb[k]!) continue;
    cb[p] = cb[k]!;
    cr[p] = cr[k]!;
    luma[p] = luma[k]!;
    p++;
  }
  return p;
}

/**
 * Sets `out` at the pixels of `mask` (the first `n`) whose RGB in `d` has Cr > Cb, |Cb − mCb| ≤ tCb,
 * |Cr − mCr| ≤ tCr and luma ≥ `dark`, and clears it at the others of `mask`.
 */
function markSkinColour(
  d: Uint8Array,
  mask: Uint8Array,
  n: number,
  mCb: number,
  tCb: number,
  mCr: number,
  tCr: number,
  dark: number,
  out: Uint8Array,
): void {
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    if (!mask[i]) continue;
    const r = d[j]!;
    const g = d[j + 1]!;
    const b = d[j + 2]!;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    const pb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    const pr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    out[i] = pr > pb && Math.abs(pb - mCb) <= tCb && Math.abs(pr - mCr) <= tCr && y >= dark ? 1 : 0;
  }
}
