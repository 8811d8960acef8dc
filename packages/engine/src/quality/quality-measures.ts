import { srgbToLab } from '../colour/srgb.ts';
import { POINT } from '../face/mesh-indices.ts';
import type { FaceFrame } from '../geometry/face-frame.ts';
import type { FaceGeometry } from '../geometry/face-geometry.ts';
import { landmarkPoint } from '../geometry/face-geometry.ts';
import type { Point } from '../geometry/polygon.ts';
import { clipLevels } from '../image/clip-levels.ts';
import { frameFloat32, frameUint8, giveBack } from '../image/frame-buffers.ts';
import { Histogram } from '../image/histogram.ts';
import { lumaOf } from '../image/rgb-image.ts';

/** Raw image-quality measurements of one face (skin-metrics-methods.md §17). */
export interface QualityMeasures {
  /** Variance of the 3×3 Laplacian of luma (0-255) over the face, at a fixed inter-pupil distance of NORMALISED_IPD_PX. */
  laplacianVariance: number;
  /** Luma (0-255) percentiles over the face skin. */
  lumaP05: number;
  lumaP50: number;
  lumaP95: number;
  /** Share of face-skin pixels with luma under 25 (crushed shadows), 0-1. */
  darkFraction: number;
  /** Share of face-skin pixels with a channel at its clip level or above (clipped highlights; image/clip-levels.ts), 0-1. */
  clippedFraction: number;
  /** OFIQ illumination uniformity: histogram intersection of L* in the two cheek zones, 0-1 (1: same). */
  cheekHistogramIntersection: number;
  /** Mean L* of the subject's right and left cheek zones. */
  cheekLightnessRight: number;
  cheekLightnessLeft: number;
  /** Mean cheek a* and b* before white balance. */
  cheekA: number;
  cheekB: number;
  /** Inter-pupil distance in original-image pixels and the scale in px/mm (original image). */
  ipdPx: number;
  pxPerMm: number;
  /** Head pose, degrees. */
  yaw: number;
  pitch: number;
  roll: number;
  /** Share of the expected face skin that is covered (hair, glasses, hands), 0-1. */
  occludedFraction: number;
}

/** Inter-pupil distance the blur measure is normalised to, px. */
export const NORMALISED_IPD_PX = 120;

export function measureQuality(frame: FaceFrame, face: FaceGeometry, toOriginal: number): QualityMeasures {
  const luma = lumaOf(frame.rgb).data;
  const skin = new Histogram(0, 256, 1024);
  const d = frame.rgb.data;
  const faceSkin = frame.expectedMask.data;
  const [dark, clipped] = skinLumaCounts(luma, d, faceSkin, clipLevels(d, faceSkin), skin);
  const pct = (q: number) => (skin.count ? skin.quantile(q) : 0);
  const zones = cheekZones(face);
  const right = zoneLab(frame, zones.right);
  const left = zoneLab(frame, zones.left);
  const laplacianVariance = normalisedLaplacianVariance(frame, luma, face.ipdPx);
  giveBack(luma);
  return {
    laplacianVariance,
    lumaP05: pct(0.05),
    lumaP50: pct(0.5),
    lumaP95: pct(0.95),
    darkFraction: skin.count ? dark / skin.count : 0,
    clippedFraction: skin.count ? clipped / skin.count : 0,
    cheekHistogramIntersection: histogramIntersection(right.lightness, left.lightness),
    cheekLightnessRight: mean(right.lightness),
    cheekLightnessLeft: mean(left.lightness),
    cheekA: mean([...right.a, ...left.a]),
    cheekB: mean([...right.b, ...left.b]),
    ipdPx: face.ipdPx * toOriginal,
    pxPerMm: face.pxPerMm * toOriginal,
    yaw: face.pose.yaw,
    pitch: face.pose.pitch,
    roll: face.pose.roll,
    occludedFraction: frame.occludedFraction,
  };
}

/**
 * Adds the luma of every face-skin pixel to `skin`; returns the number of dark pixels (luma < 25)
 * and of pixels with a channel at or above its clip level.
 */
function skinLumaCounts(
  luma: Float32Array,
  d: Uint8Array,
  faceSkin: Uint8Array,
  levels: readonly [number, number, number],
  skin: Histogram,
): [number, number] {
  const [k0, k1, k2] = levels;
  let dark = 0;
  let clipped = 0;
  for (let i = 0; i < luma.length; i++) {
    if (!faceSkin[i]) continue;
    const y = luma[i]!;
    skin.add(y);
    if (y < 25) dark++;
    if (d[i * 3]! >= k0 || d[i * 3 + 1]! >= k1 || d[i * 3 + 2]! >= k2) clipped++;
  }
  return [dark, clipped];
}

/**
 * Variance of the Laplacian (Pech-Pacheco et al. 2000) over the face oval, after box-downsampling
 * the face so that the inter-pupil distance is NORMALISED_IPD_PX: the same face at any resolution
 * gives the same value. Faces smaller than that are measured as they are.
 */
function normalisedLaplacianVariance(frame: FaceFrame, luma: Float32Array, ipdPx: number): number {
  const factor = Math.max(1, ipdPx / NORMALISED_IPD_PX);
  const w = Math.floor(frame.width / factor);
  const h = Math.floor(frame.height / factor);
  if (w < 3 || h < 3) return 0;
  const small = frameFloat32(w * h);
  const inside = frameUint8(w * h);
  boxDownsample(luma, frame.faceMask.data, frame.width, factor, w, h, small, inside);
  const variance = laplacianVariance(small, inside, w, h);
  giveBack(small, inside);
  return variance;
}

/**
 * Box-downsamples `luma` (`width` wide) by `factor` into `small` (w × h) and samples `mask` at each
 * small pixel's centre into `inside`.
 */
function boxDownsample(
  luma: Float32Array,
  mask: Uint8Array,
  width: number,
  factor: number,
  w: number,
  h: number,
  small: Float32Array,
  inside: Uint8Array,
): void {
  for (let y = 0; y < h; y++) {
    const sy0 = Math.floor(y * factor);
    const sy1 = Math.max(sy0 + 1, Math.floor((y + 1) * factor));
    for (let x = 0; x < w; x++) {
      const sx0 = Math.floor(x * factor);
      const sx1 = Math.max(sx0 + 1, Math.floor((x + 1) * factor));
      let sum = 0;
      for (let sy = sy0; sy < sy1; sy++) {
        const row = sy * width;
        for (let sx = sx0; sx < sx1; sx++) sum += luma[row + sx]!;
      }
      small[y * w + x] = sum / ((sy1 - sy0) * (sx1 - sx0));
      inside[y * w + x] = mask[Math.floor((y + 0.5) * factor) * width + Math.floor((x + 0.5) * factor)]!;
    }
  }
}

/** Variance of the 3×3 Laplacian of `small` (w × h) over its inner pixels set in `inside`; 0 when none. */
function laplacianVariance(small: Float32Array, inside: Uint8Array, w: number, h: number): number {
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!inside[i]) continue;
      const lap = small[i - 1]! + small[i + 1]! + small[i - w]! + small[i + w]! - 4 * small[i]!;
      n++;
      sum += lap;
      sum2 += lap * lap;
    }
  }
  if (n === 0) return 0;
  const m = sum / n;
  return sum2 / n - m * m;
}

/**
 * OFIQ's cheek zones (IlluminationUniformity): squares of side 0.3·IED centred below each eye by half
 * the eye-to-mouth distance.
 */
function cheekZones(face: FaceGeometry): { right: Zone; left: Zone } {
  const mouth: Point = midpoint(
    landmarkPoint(face.landmarks, POINT.mouthRight),
    landmarkPoint(face.landmarks, POINT.mouthLeft),
  );
  const eyes = midpoint(face.rightEye, face.leftEye);
  const down: Point = [(mouth[0] - eyes[0]) / 2, (mouth[1] - eyes[1]) / 2];
  const half = 0.15 * face.ipdPx;
  const zone = (eye: Point): Zone => ({ cx: eye[0] + down[0], cy: eye[1] + down[1], half });
  return { right: zone(face.rightEye), left: zone(face.leftEye) };
}

interface Zone {
  cx: number;
  cy: number;
  half: number;
}

function zoneLab(frame: FaceFrame, zone: Zone): { lightness: number[]; a: number[]; b: number[] } {
  const out = { lightness: [] as number[], a: [] as number[], b: [] as number[] };
  const x0 = Math.max(0, Math.round(zone.cx - zone.half - frame.x0));
  const x1 = Math.min(frame.width, Math.round(zone.cx + zone.half - frame.x0));
  const y0 = Math.max(0, Math.round(zone.cy - zone.half - frame.y0));
  const y1 = Math.min(frame.height, Math.round(zone.cy + zone.half - frame.y0));
  labUnder(frame.rgb.data, frame.expectedMask.data, frame.width, x0, y0, x1, y1, out.lightness, out.a, out.b);
  return out;
}

/** Appends the CIELAB L*, a*, b* of the RGB pixels `d` set in `mask` over the box (x1, y1 exclusive) of a `width`-wide frame. */
function labUnder(
  d: Uint8Array,
  mask: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  lightness: number[],
  a: number[],
  b: number[],
): void {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const lab = srgbToLab(d[i * 3]!, d[i * 3 + 1]!, d[i * 3 + 2]!);
      lightness.push(lab.L);
      a.push(lab.a);
      b.push(lab.b);
    }
  }
}

/** Σ min of two L* histograms (100 bins of 1 unit), each normalised to sum 1. */
function histogramIntersection(a: number[], b: number[]): number {
  if (!a.length || !b.length) return 0;
  const ha = new Float64Array(101);
  const hb = new Float64Array(101);
  for (const v of a) ha[Math.max(0, Math.min(100, Math.round(v)))]! += 1 / a.length;
  for (const v of b) hb[Math.max(0, Math.min(100, Math.round(v)))]! += 1 / b.length;
  let s = 0;
  for (let i = 0; i <= 100; i++) s += Math.min(ha[i]!, hb[i]!);
  return s;
}

function midpoint(a: Point, b: Point): Point {
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

function mean(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length ? s / values.length : 0;
}
