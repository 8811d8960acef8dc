import { type ColourMaps, colourMapsInput } from '../../colour/colour-maps.input.ts';
import { heatmapFeatures } from '../../colour/heatmap.ts';
import { srgbToLab } from '../../colour/srgb.ts';
import type { InputProvider } from '../../framework/metric.ts';
import { type AreaName, MAX_OCCLUDED } from '../../geometry/areas.ts';
import type { FaceFrame } from '../../geometry/face-frame.ts';
import { gaussianBlur, type PixelBox, quantileOf } from '../../image/filters.ts';
import { frameFloat32, frameInt32, frameUint8, giveBack } from '../../image/frame-buffers.ts';
import { copyWindow } from '../../image/rgb-image.ts';
import type { MaskFeature } from '../../result/result-shape.ts';

/**
 * The `shine` shared input (skin-metrics-methods.md §12), read by `skin_type` and `hydration`.
 * On CIELAB of the photo's own pixels (relative thresholds, so white balance does not matter), per zone (T: forehead, glabella, nose;
 * U: cheeks, chin):
 * - specular pixels: L* > median + min(SHINE_K × robust SD (1.4826·MAD), 10) of the zone, and
 *   saturation C*ab/L* < SHINE_CHROMA × the zone's median saturation (dichromatic model: specular light keeps the
 *   illuminant's colour, so highlights are bright and desaturated);
 * - shine index = specular share (%) × mean L* excess of those pixels over the median (L*), i.e.
 *   "how much and how bright" (Kao: area ratio and brightness ratio);
 * - roughness (cheeks only): robust SD of L* minus its Gaussian blur at 0.5 mm, L* units: the fine
 *   texture that dry, flaky skin shows (and that gloss smooths out).
 * `specular` is a frame-sized map of the L* excess at specular pixels (0 elsewhere); its heatmap
 * (`specularFeatures`) is drawn once and shared by skin type and hydration.
 * A zone whose areas are all hidden (more than MAX_OCCLUDED of each) is null, not "no shine".
 */
export interface ZoneShine {
  /** % of the zone's skin pixels that are specular. */
  specularShare: number;
  /** Mean L* excess of specular pixels. */
  excess: number;
  /** specularShare × excess. */
  index: number;
  pixels: number;
}

export interface ShineMeasurement {
  /** null when the zone was not assessed (hidden, or too few pixels). */
  tZone: ZoneShine | null;
  uZone: ZoneShine | null;
  /** Both zones pooled; null when neither was assessed. */
  face: ZoneShine | null;
  /** L* units; null below ROUGHNESS_MIN_PX_PER_MM or when the cheeks are hidden. */
  roughness: number | null;
  specular: Float32Array;
  width: number;
  height: number;
  /** Heatmap of `specular`: regions of 0.5 mm² and more, intensity = mean excess / 30 (computed on first call). */
  specularFeatures(): MaskFeature[];
}

export const SHINE_K = 2;
/** Cap on the brightness threshold over the median, L*: shading gradients inflate the zone's SD. */
export const SHINE_MAX_EXCESS = 10;
export const SHINE_CHROMA = 0.7;
export const ROUGHNESS_SIGMA_MM = 0.5;
/** Roughness needs its 0.5 mm blur to span at least a pixel. */
export const ROUGHNESS_MIN_PX_PER_MM = 1 / ROUGHNESS_SIGMA_MM;
export const T_ZONE: readonly AreaName[] = ['forehead', 'glabella', 'nose'];
export const U_ZONE: readonly AreaName[] = ['left_cheek', 'right_cheek', 'chin'];

export const shineInput: InputProvider<ShineMeasurement> = {
  id: 'shine',
  needs: ['colour'],
  compute(ctx) {
    const colour = ctx.input(colourMapsInput);
    const specular = frameFloat32(colour.width * colour.height);
    let features: MaskFeature[] | undefined;
    const tZone = zoneShine(ctx.frame, T_ZONE, specular);
    const uZone = zoneShine(ctx.frame, U_ZONE, specular);
    return {
      tZone,
      uZone,
      face: pooledShine([tZone, uZone]),
      roughness: cheekRoughness(colour, ctx.face.pxPerMm),
      specular,
      width: colour.width,
      height: colour.height,
      specularFeatures() {
        features ??= heatmapFeatures(specular, colour.width, colour.height, ctx.frame, ctx.face.pxPerMm, {
          minAreaMm2: 0.5,
          fullScale: 30,
          maxRegions: 60,
        });
        return features;
      },
    };
  },
};

/** Zones pooled by their pixel counts (the excess weighted by specular pixels); null when none was assessed. */
function pooledShine(zones: readonly (ZoneShine | null)[]): ZoneShine | null {
  const assessed = zones.filter((z): z is ZoneShine => z !== null);
  if (!assessed.length) return null;
  const pixels = assessed.reduce((s, z) => s + z.pixels, 0);
  const specular = assessed.reduce((s, z) => s + z.specularShare * z.pixels, 0);
  const share = specular / pixels;
  const excess =
    specular > 0 ? assessed.reduce((s, z) => s + z.excess * z.specularShare * z.pixels, 0) / specular : 0;
  return { specularShare: share, excess, index: share * excess, pixels };
}

/** Median of a sample (0 when empty). */
function median(values: Float32Array | number[]): number {
  return values.length ? quantileOf(values, 0.5) : 0;
}

/**
 * Pixels of the zone's polygons inside the face oval and off the features. Not the skin mask: its
 * colour test rejects exactly the bright, desaturated highlights this measures.
 */
function zoneShine(frame: FaceFrame, areas: readonly AreaName[], specular: Float32Array): ZoneShine | null {
  const seen = frameUint8(frame.width * frame.height);
  const boxes = areas.map((area) => frame.areaBox(area));
  const boxPixels = boxes.map((b) => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0));
  const idx = frameInt32(boxPixels.reduce((s, v) => s + v, 0));
  const inArea = frameInt32(Math.max(0, ...boxPixels));
  let count = 0;
  for (const [a, area] of areas.entries()) {
    const [found, skin] = expectedPixelsIn(frame.areaMask(area).data, frame, boxes[a]!, inArea);
    // Same occlusion rule as the other texture metrics: skip an area that is mostly not skin.
    if (!found || 1 - skin / found > MAX_OCCLUDED) continue;
    count = appendUnseen(inArea, found, seen, idx, count);
  }
  giveBack(seen, inArea);
  if (count < 50) {
    giveBack(idx);
    return null;
  }
  const { L, C } = lightnessAndChroma(frame.rgb.data, idx, count);
  const mL = median(L);
  const deviations = absoluteDeviations(L, mL);
  const sd = 1.4826 * median(deviations);
  const mC = median(C);
  const threshold = mL + Math.min(SHINE_K * sd, SHINE_MAX_EXCESS);
  const [n, excess] = markSpecular(L, C, idx, mL, threshold, SHINE_CHROMA * mC, specular);
  giveBack(idx, L, C, deviations);
  const specularShare = (100 * n) / count;
  const mean = n ? excess / n : 0;
  return { specularShare, excess: mean, index: specularShare * mean, pixels: count };
}

/**
 * Writes into `inArea` the pixels of `box` inside the area mask and the frame's expected skin;
 * returns their number and how many of them the skin mask keeps.
 */
function expectedPixelsIn(
  area: Uint8Array,
  frame: FaceFrame,
  box: PixelBox,
  inArea: Int32Array,
): [number, number] {
  const w = frame.width;
  const expected = frame.expectedMask.data;
  const skinMask = frame.skinMask.data;
  let found = 0;
  let skin = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
      if (!area[i] || !expected[i]) continue;
      inArea[found++] = i;
      skin += skinMask[i]!;
    }
  return [found, skin];
}

/** Appends to `idx` (holding `count`) the first `found` pixels of `inArea` not yet `seen`; returns the new count. */
function appendUnseen(
  inArea: Int32Array,
  found: number,
  seen: Uint8Array,
  idx: Int32Array,
  count: number,
): number {
  let n = count;
  for (let k = 0; k < found; k++) {
    const i = inArea[k]!;
    if (seen[i]) continue;
    seen[i] = 1;
    idx[n++] = i;
  }
  return n;
}

/**
 * CIELAB lightness and chroma / lightness of the first `count` pixels of `idx`. Pixels of the same
 * colour share one conversion: the first one's position, by colour, in an open-addressed table
 * (24-bit colour keys, −1 empty; at most half full).
 */
function lightnessAndChroma(
  rgb: Uint8Array,
  idx: Int32Array,
  count: number,
): { L: Float32Array; C: Float32Array } {
  const L = frameFloat32(count);
  const C = frameFloat32(count);
  const bits = Math.max(4, 32 - Math.clz32(2 * count - 1));
  const slots = 1 << bits;
  const keys = frameInt32(slots).fill(-1);
  const firsts = frameInt32(slots);
  for (let k = 0; k < count; k++) {
    const j = 3 * idx[k]!;
    const key = (rgb[j]! << 16) | (rgb[j + 1]! << 8) | rgb[j + 2]!;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    while (keys[slot] !== -1 && keys[slot] !== key) slot = (slot + 1) & (slots - 1);
    if (keys[slot] === -1) {
      const lab = srgbToLab(rgb[j]!, rgb[j + 1]!, rgb[j + 2]!);
      L[k] = lab.L;
      C[k] = Math.hypot(lab.a, lab.b) / Math.max(1, lab.L);
      keys[slot] = key;
      firsts[slot] = k;
    } else {
      const at = firsts[slot]!;
      L[k] = L[at]!;
      C[k] = C[at]!;
    }
  }
  giveBack(keys, firsts);
  return { L, C };
}

/** |values − centre| of every value. */
function absoluteDeviations(values: Float32Array, centre: number): Float32Array {
  const out = frameFloat32(values.length);
  for (let k = 0; k < values.length; k++) out[k] = Math.abs(values[k]! - centre);
  return out;
}

/**
 * Marks the specular pixels (L* above `threshold`, chroma / L* under `maxChroma`) in `specular` with
 * their L* above the median `mL`; returns their number and the sum of that excess.
 */
function markSpecular(
  L: Float32Array,
  C: Float32Array,
  idx: Int32Array,
  mL: number,
  threshold: number,
  maxChroma: number,
  specular: Float32Array,
): [number, number] {
  let n = 0;
  let excess = 0;
  for (let k = 0; k < L.length; k++) {
    if (L[k]! > threshold && C[k]! < maxChroma) {
      n++;
      excess += L[k]! - mL;
      specular[idx[k]!] = L[k]! - mL;
    }
  }
  return [n, excess];
}

function cheekRoughness(colour: ColourMaps, pxPerMm: number): number | null {
  if (pxPerMm < ROUGHNESS_MIN_PX_PER_MM) return null;
  const sigma = ROUGHNESS_SIGMA_MM * pxPerMm;
  const parts: Float32Array[] = [];
  for (const area of ['left_cheek', 'right_cheek'] as const) {
    if (colour.areaOccluded(area) > MAX_OCCLUDED) continue;
    const index = colour.areaIndex(area);
    if (!index.length) continue;
    const [x0, y0, x1, y1] = extentOf(index, colour.width, colour.height);
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const crop = new Float32Array(w * h);
    const skin = colour.areaSkin(area);
    copyWindow(colour.L, colour.width, x0, y0, w, h, crop);
    const blurred = gaussianBlur({ data: crop, width: w, height: h }, sigma).data;
    const margin = Math.ceil(2 * sigma);
    parts.push(residualsUnder(crop, blurred, w, h, margin, skin, colour.skin, colour.width, x0, y0));
  }
  const r = concatFloat32(parts);
  if (r.length < 100) return null;
  const m = median(r);
  return 1.4826 * median(absoluteDeviations(r, m));
}

/**
 * [x0, y0, x1, y1] (inclusive) of the pixels `index` of a `width`-wide map; [width, height, 0, 0]
 * when empty.
 */
function extentOf(index: Int32Array, width: number, height: number): [number, number, number, number] {
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (const i of index) {
    const x = i % width;
    const y = (i - x) / width;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

/**
 * crop − blurred (w × h, at (x0, y0) of a `width`-wide frame; float32) at the pixels at least
 * `margin` from the crop's edges where both frame masks `a` and `b` are set, in raster order.
 */
function residualsUnder(
  crop: Float32Array,
  blurred: Float32Array,
  w: number,
  h: number,
  margin: number,
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  x0: number,
  y0: number,
): Float32Array {
  const out = new Float32Array(Math.max(0, w - 2 * margin) * Math.max(0, h - 2 * margin));
  let n = 0;
  for (let y = margin; y < h - margin; y++)
    for (let x = margin; x < w - margin; x++) {
      const fi = (y + y0) * width + x + x0;
      if (a[fi] && b[fi]) out[n++] = crop[y * w + x]! - blurred[y * w + x]!;
    }
  return out.subarray(0, n);
}

/** The arrays one after the other. */
function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
