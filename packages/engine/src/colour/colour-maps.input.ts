import type { InputProvider, MetricOutput } from '../framework/metric.ts';
import type { AreaName } from '../geometry/areas.ts';
import type { FaceFrame } from '../geometry/face-frame.ts';
import { andInBox, indicesInBox } from '../geometry/raster.ts';
import { clipLevels } from '../image/clip-levels.ts';
import { frameFloat32, frameUint8, giveBack } from '../image/frame-buffers.ts';
import { indicesOf } from '../image/pixel-stats.ts';
import type { NotAssessableArea } from '../result/result-shape.ts';
import { UNMIX } from './pigment-separation.ts';
import { labelRegions } from './regions.ts';
import { D65_WHITE, SRGB_TO_LINEAR } from './srgb.ts';
import { estimateWhiteBalance, type WhiteBalance } from './white-balance.ts';

/**
 * The colour pipeline, computed once per image over the face frame (DESIGN.md "colour"):
 * white balance from the face's own skin (white-balance.ts), white-balanced linear RGB, CIELAB
 * (D65, 2°; colour/srgb.ts formulas) and Tsumura melanin / haemoglobin densities
 * (pigment-separation.ts). Maps are frame-sized; values are computed on the skin region only
 * (`skinRegion`; 0 elsewhere). Frame pixel (x, y) is working pixel (x + frame.x0, y + frame.y0).
 */
export interface ColourMaps {
  width: number;
  height: number;
  /** Face oval. */
  region: Uint8Array;
  /**
   * Skin pixels of the face: frame.skinMask with its small enclosed holes filled (strong spots,
   * moles and red lesions fail the frame's skin-colour test but are skin to these metrics),
   * minus clipped or near-black pixels.
   */
  skin: Uint8Array;
  /** The same skin before clipped and near-black pixels are removed (for erosion and area extents). */
  skinRegion: Uint8Array;
  L: Float32Array;
  a: Float32Array;
  b: Float32Array;
  /** Relative optical densities (natural log units). */
  melanin: Float32Array;
  haemoglobin: Float32Array;
  whiteBalance: WhiteBalance;
  /** Share of skin pixels with a channel at its clip level or above (overexposure / specular; image/clip-levels.ts), 0-1. */
  clippedFraction: number;
  /** Share of skin pixels with linear luminance under 0.02 (underexposure), 0-1. */
  darkFraction: number;
  /** Pixel indices of `skin`. */
  skinIndex: Int32Array;
  /** Bounding box of `skinRegion` in frame pixels (x1, y1 exclusive); filters run inside it. */
  skinBox: { x0: number; y0: number; x1: number; y1: number };
  /** `skin` within an area polygon (computed once per area and image; shared, do not modify). */
  areaSkin(area: AreaName): Uint8Array;
  /** Pixel indices of areaSkin(area) (shared, do not modify). */
  areaIndex(area: AreaName): Int32Array;
  /** frame.areaOccludedFraction (cached by the frame). */
  areaOccluded(area: AreaName): number;
}

/**
 * Above this share of clipped skin (`clippedFraction`), measurements that read brightness or
 * fine texture (translucency's lightness and gloss, hydration's roughness and gloss) are the
 * camera's, not the skin's, and answer "not assessable: overexposed". 5 of the 221 development
 * faces are above it; a bright portrait scaled by 1.1 in sRGB goes from 10% to 45%.
 */
export const OVEREXPOSED_CLIPPED_FRACTION = 0.3;

/**
 * The answer of a metric that reads brightness or fine texture on an overexposed face (more than
 * OVEREXPOSED_CLIPPED_FRACTION of its skin clipped): every one of `areas` not assessable, reason
 * `overexposed`, followed by `others` (areas already not assessable for another reason); null
 * when the face is not overexposed.
 */
export function overexposedOutput(
  maps: Pick<ColourMaps, 'clippedFraction'>,
  areas: readonly string[],
  others: readonly NotAssessableArea[] = [],
): MetricOutput | null {
  if (maps.clippedFraction <= OVEREXPOSED_CLIPPED_FRACTION) return null;
  return {
    area_results: [],
    not_assessable_areas: [
      ...areas.map((area_name) => ({ area_name, reason: 'overexposed' as const })),
      ...others,
    ],
  };
}

const EPS = 216 / 24389;
const KAPPA = 24389 / 27;
/** Cube root by table and linear interpolation over [0, CBRT_MAX] (error under 1e-5 above ε). */
const CBRT_STEPS = 16384;
const CBRT_MAX = 1.5;
const CBRT_LUT: Float32Array = Float32Array.from({ length: CBRT_STEPS + 2 }, (_, k) =>
  Math.cbrt((k * CBRT_MAX) / CBRT_STEPS),
);
function f(t: number): number {
  if (t <= EPS) return (KAPPA * t + 16) / 116;
  if (t >= CBRT_MAX) return Math.cbrt(t);
  const x = (t * CBRT_STEPS) / CBRT_MAX;
  const k = x | 0;
  const a = CBRT_LUT[k]!;
  return a + (CBRT_LUT[k + 1]! - a) * (x - k);
}

export const colourMapsInput: InputProvider<ColourMaps> = {
  id: 'colour',
  needs: [],
  compute(ctx) {
    const frame = ctx.frame;
    const wb = estimateWhiteBalance(frame, ctx.face);
    const n = frame.width * frame.height;
    const region = frame.faceMask.data;
    const skinIn = fillSkinHoles(frame, ctx.face.pxPerMm);
    const d = frame.rgb.data;
    const fw = frame.width;
    const { skin, L, A, B, melanin, haemoglobin, skinCount, clipped, dark, box } = convertSkin(
      d,
      skinIn,
      fw,
      frame.height,
      wb.gains,
    );
    const skinCache = new Map<AreaName, Uint8Array>();
    const indexCache = new Map<AreaName, Int32Array>();
    const areaSkinCount = new Map<AreaName, number>();
    const areaSkin = (area: AreaName): Uint8Array => {
      let m = skinCache.get(area);
      if (!m) {
        m = frameUint8(n);
        areaSkinCount.set(area, andInBox(frame.areaMask(area).data, skin, m, fw, frame.areaBox(area)));
        skinCache.set(area, m);
      }
      return m;
    };
    /** Pixel indices of areaSkin(area), in raster order. */
    const indexOf = (area: AreaName): Int32Array =>
      indicesInBox(areaSkin(area), fw, frame.areaBox(area), areaSkinCount.get(area)!);
    return {
      skinBox: box,
      skinIndex: indicesOf(skin),
      areaSkin,
      areaIndex(area) {
        let idx = indexCache.get(area);
        if (!idx) {
          idx = indexOf(area);
          indexCache.set(area, idx);
        }
        return idx;
      },
      areaOccluded: (area) => frame.areaOccludedFraction(area),
      width: frame.width,
      height: frame.height,
      region,
      skin,
      skinRegion: skinIn,
      L,
      a: A,
      b: B,
      melanin,
      haemoglobin,
      whiteBalance: wb,
      clippedFraction: skinCount ? clipped / skinCount : 0,
      darkFraction: skinCount ? dark / skinCount : 0,
    };
  },
};

/**
 * Per pixel of `skinIn` (w × h): CIELAB of the white-balanced colour (`gains` on linear RGB) and
 * the Tsumura densities; `skin` marks the pixels neither clipped (a channel at or above its
 * `clipLevels`) nor nearly black (Y < 0.02). Also counts them and returns the bounding box of
 * `skinIn` (x1, y1 exclusive; the whole frame when empty).
 */
function convertSkin(
  rgb: Uint8Array,
  skinIn: Uint8Array,
  w: number,
  h: number,
  gains: readonly [number, number, number],
) {
  const n = w * h;
  const skin = frameUint8(n);
  const L = frameFloat32(n);
  const A = frameFloat32(n);
  const B = frameFloat32(n);
  const melanin = frameFloat32(n);
  const haemoglobin = frameFloat32(n);
  const [gr, gg, gb] = gains;
  const [k0, k1, k2] = clipLevels(rgb, skinIn);
  const [m0, m1, m2] = UNMIX.melanin;
  const [h0, h1, h2] = UNMIX.haemoglobin;
  const lr = Math.log(gr);
  const lg = Math.log(gg);
  const lb = Math.log(gb);
  const mOffset = -(m0 * lr + m1 * lg + m2 * lb);
  const hOffset = -(h0 * lr + h1 * lg + h2 * lb);
  const [skinCount, clipped, dark, x0, y0, x1, y1] = convertPixels(
    rgb,
    skinIn,
    w,
    h,
    gr,
    gg,
    gb,
    k0,
    k1,
    k2,
    m0,
    m1,
    m2,
    mOffset,
    h0,
    h1,
    h2,
    hOffset,
    D65_WHITE.x,
    D65_WHITE.z,
    skin,
    L,
    A,
    B,
    melanin,
    haemoglobin,
  );
  const box = x1 > x0 ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: w, y1: h };
  return { skin, L, A, B, melanin, haemoglobin, skinCount, clipped, dark, box };
}

/**
 * The pixel loop of convertSkin over the `skinIn` pixels of a w × h frame: white-balanced CIELAB
 * (gains gr, gg, gb on linear RGB; white xn, 1, zn) into L, A, B; Tsumura densities into `melanin`
 * (m0..m2 on −ln linear RGB + mOffset) and `haemoglobin` (h0..h2 + hOffset); `skin` set where no
 * channel is at or above its clip level (k0, k1, k2) and Y ≥ 0.02. Returns [skin-in pixels, clipped,
 * dark, x0, y0, x1, y1], the last four the bounding box of `skinIn` (x0 = w, y0 = h, x1 = y1 = 0
 * when empty).
 */
function convertPixels(
  rgb: Uint8Array,
  skinIn: Uint8Array,
  w: number,
  h: number,
  gr: number,
  gg: number,
  gb: number,
  k0: number,
  k1: number,
  k2: number,
  m0: number,
  m1: number,
  m2: number,
  mOffset: number,
  h0: number,
  h1: number,
  h2: number,
  hOffset: number,
  xn: number,
  zn: number,
  skin: Uint8Array,
  L: Float32Array,
  A: Float32Array,
  B: Float32Array,
  melanin: Float32Array,
  haemoglobin: Float32Array,
): [number, number, number, number, number, number, number] {
  let skinCount = 0;
  let clipped = 0;
  let dark = 0;
  let x0 = w;
  let y0 = h;
  let x1 = 0;
  let y1 = 0;
  for (let row = 0; row < h; row++)
    for (let col = 0, i = row * w; col < w; col++, i++) {
      if (!skinIn[i]) continue;
      if (col < x0) x0 = col;
      if (col >= x1) x1 = col + 1;
      if (row < y0) y0 = row;
      y1 = row + 1;
      const c0 = rgb[i * 3]!;
      const c1 = rgb[i * 3 + 1]!;
      const c2 = rgb[i * 3 + 2]!;
      const r = SRGB_TO_LINEAR[c0]! * gr;
      const g = SRGB_TO_LINEAR[c1]! * gg;
      const b = SRGB_TO_LINEAR[c2]! * gb;
      const x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
      const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
      const z = 0.0193339 * r + 0.119192 * g + 0.9503041 * b;
      const fy = f(y);
      L[i] = 116 * fy - 16;
      A[i] = 500 * (f(x / xn) - fy);
      B[i] = 200 * (fy - f(z / zn));
      const dr = NEG_LOG_LINEAR[c0]!;
      const dg = NEG_LOG_LINEAR[c1]!;
      const db = NEG_LOG_LINEAR[c2]!;
      melanin[i] = m0 * dr + m1 * dg + m2 * db + mOffset;
      haemoglobin[i] = h0 * dr + h1 * dg + h2 * db + hOffset;
      skinCount++;
      const isClipped = c0 >= k0 || c1 >= k1 || c2 >= k2;
      const isDark = y < 0.02;
      if (isClipped) clipped++;
      if (isDark) dark++;
      if (!isClipped && !isDark) skin[i] = 1;
    }
  return [skinCount, clipped, dark, x0, y0, x1, y1];
}

/** −ln of the linear value of each 8-bit code, floored at 1e-3 (Tsumura optical density). */
const NEG_LOG_LINEAR: Float32Array = (() => {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = -Math.log(Math.max(SRGB_TO_LINEAR[v]!, 1e-3));
  return lut;
})();

/** Largest enclosed non-skin hole filled back into the skin mask, mm². */
export const MAX_HOLE_MM2 = 600;

/**
 * The frame's skin mask with enclosed holes filled: connected non-skin pixels inside the face
 * oval, away from the feature mask, not touching the oval's edge, up to MAX_HOLE_MM2.
 */
function fillSkinHoles(frame: FaceFrame, pxPerMm: number): Uint8Array {
  const face = frame.faceMask.data;
  const features = frame.featureMask.data;
  const skin = frame.skinMask.data;
  const w = frame.width;
  const h = frame.height;
  const rejects = frameUint8(skin.length);
  markRejects(face, features, skin, rejects);
  const { labels, regions } = labelRegions(rejects, w, h);
  const out = frameUint8(skin.length);
  out.set(skin);
  if (regions.length) {
    const maxArea = MAX_HOLE_MM2 * pxPerMm * pxPerMm;
    const open = new Uint8Array(regions.length + 1);
    for (const r of regions) if (r.area > maxArea) open[r.label] = 1;
    openTouchingEdges(labels, face, features, w, h, open);
    fillClosed(labels, open, out);
  }
  giveBack(rejects, labels);
  return out;
}

/** `out[i] = face[i] & (1 − features[i]) & (1 − skin[i])`: expected skin rejected as not skin. */
function markRejects(face: Uint8Array, features: Uint8Array, skin: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < skin.length; i++) out[i] = face[i]! & (1 - features[i]!) & (1 - skin[i]!);
}

/**
 * Sets `open[label]` for each region of `labels` (w × h, 0 = none) with a pixel on the frame's edge
 * or beside (4-neighbour) a pixel outside `face` or inside `features`.
 */
function openTouchingEdges(
  labels: Int32Array,
  face: Uint8Array,
  features: Uint8Array,
  w: number,
  h: number,
  open: Uint8Array,
): void {
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const label = labels[i]!;
      if (!label || open[label]) continue;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) {
        open[label] = 1;
        continue;
      }
      if (!face[i - 1] || features[i - 1] || !face[i + 1] || features[i + 1]) open[label] = 1;
      else if (!face[i - w] || features[i - w] || !face[i + w] || features[i + w]) open[label] = 1;
    }
}

/** Sets `out` at the labelled pixels whose region is not `open`. */
function fillClosed(labels: Int32Array, open: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) if (labels[i] && !open[labels[i]!]) out[i] = 1;
}
