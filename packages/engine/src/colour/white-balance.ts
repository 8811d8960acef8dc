import { LEFT_EYE, RIGHT_EYE } from '../face/mesh-indices.ts';
import type { FaceFrame } from '../geometry/face-frame.ts';
import type { FaceGeometry } from '../geometry/face-geometry.ts';
import { landmarkPoint } from '../geometry/face-geometry.ts';
import { emptyMask, fillPolygon } from '../geometry/raster.ts';
import { quantileOf } from '../image/filters.ts';
import { WB_SKIN_LOCUS } from './calibration.ts';
import { linearRgbToLab, SRGB_TO_LINEAR } from './srgb.ts';

/**
 * White balance from the face's own skin (skin-metrics-methods.md §0).
 *
 * 1. Shades-of-grey estimate over the skin mask in linear RGB: e_c = (mean I_c^p)^(1/p), p = 6
 *    (Finlayson & Trezzi). Skin is not grey, so e is the colour of *skin under this light*.
 * 2. Its chromaticity (R/G, B/G) is compared with the skin locus: the range of R/G and B/G the
 *    estimate takes on faces under neutral light (`WB_SKIN_LOCUS`, from the calibration faces).
 *    Inside the locus the photo is left as it is (natural skin-colour variation is signal);
 *    outside it, diagonal von Kries gains move the estimate to the nearest locus point, so a
 *    strong colour cast is removed without erasing differences between skin tones.
 * 3. Check against the sclera: median of the eye-white pixels (inside the lid contour, outside
 *    the iris, specular top 2% and dark lashes dropped), its a*, b* after the gains. The sclera is
 *    not a white reference (it yellows, reddens), so it only flags a cast, it does not set gains.
 */
export interface WhiteBalance {
  /** Diagonal gains applied to linear R, G, B (G is 1). */
  gains: [number, number, number];
  /** Shades-of-grey estimate before correction, normalised to G = 1. */
  skinEstimate: [number, number, number];
  /** True when the estimate lay outside the skin locus and gains were applied. */
  corrected: boolean;
  sclera: ScleraCheck;
}

export interface ScleraCheck {
  /** Eye-white pixels used (0: none found, check not available). */
  pixels: number;
  /** CIELAB L*, a*, b* of the sclera median after the gains (NaN when unavailable). */
  L: number;
  a: number;
  b: number;
  /** True when the sclera after WB is within the plausible eye-white box (a* −6..12, b* −6..22). */
  plausible: boolean;
}

export const SHADES_OF_GREY_P = 6;

/** Linear value of each 8-bit code to the power SHADES_OF_GREY_P. */
const LINEAR_POW_P: Float64Array = Float64Array.from(SRGB_TO_LINEAR, (v) => v ** SHADES_OF_GREY_P);

export function estimateWhiteBalance(frame: FaceFrame, face: FaceGeometry): WhiteBalance {
  const d = frame.rgb.data;
  const m = frame.skinMask.data;
  const p = SHADES_OF_GREY_P;
  const [sr, sg, sb, n] = sumsUnder(d, m, LINEAR_POW_P);
  const eG = n ? (sg / n) ** (1 / p) : 1;
  const rg = n && eG > 0 ? (sr / n) ** (1 / p) / eG : 1;
  const bg = n && eG > 0 ? (sb / n) ** (1 / p) / eG : 1;
  const L = WB_SKIN_LOCUS;
  const rgT = Math.min(L.rgMax, Math.max(L.rgMin, rg));
  const bgT = Math.min(L.bgMax, Math.max(L.bgMin, bg));
  const corrected = n > 0 && (rgT !== rg || bgT !== bg);
  const gains: [number, number, number] = corrected ? [rgT / rg, 1, bgT / bg] : [1, 1, 1];
  return {
    gains,
    skinEstimate: [rg, 1, bg],
    corrected,
    sclera: scleraCheck(frame, face, gains),
  };
}

function scleraCheck(frame: FaceFrame, face: FaceGeometry, gains: [number, number, number]): ScleraCheck {
  const offset: [number, number] = [frame.x0, frame.y0];
  const eyes = emptyMask(frame.width, frame.height);
  for (const ring of [RIGHT_EYE, LEFT_EYE])
    fillPolygon(
      eyes,
      ring.map((i) => landmarkPoint(face.landmarks, i)),
      offset,
    );
  const irisR = (face.irisDiameterPx / 2) * 1.15;
  const d = frame.rgb.data;
  const idx: number[] = [];
  const lum: number[] = [];
  const ys = [...RIGHT_EYE, ...LEFT_EYE].map((i) => landmarkPoint(face.landmarks, i)[1] - frame.y0);
  const yFrom = Math.max(0, Math.floor(Math.min(...ys)));
  const yTo = Math.min(frame.height - 1, Math.ceil(Math.max(...ys)));
  const [rx, ry] = face.rightEye;
  const [lx, ly] = face.leftEye;
  scleraPixels(
    eyes.data,
    frame.width,
    yFrom,
    yTo,
    rx - frame.x0,
    ry - frame.y0,
    lx - frame.x0,
    ly - frame.y0,
    irisR,
    d,
    idx,
    lum,
  );
  if (idx.length < 20) return { pixels: 0, L: Number.NaN, a: Number.NaN, b: Number.NaN, plausible: true };
  const lo = quantileOf(lum, 0.6);
  const hi = quantileOf(lum, 0.98);
  const r: number[] = [];
  const g: number[] = [];
  const b: number[] = [];
  linearBetween(d, idx, lum, lo, hi, gains[0], gains[2], r, g, b);
  if (r.length < 10) return { pixels: 0, L: Number.NaN, a: Number.NaN, b: Number.NaN, plausible: true };
  const lab = linearRgbToLab(quantileOf(r, 0.5), quantileOf(g, 0.5), quantileOf(b, 0.5));
  const plausible = lab.a >= -6 && lab.a <= 12 && lab.b >= -6 && lab.b <= 22;
  return { pixels: r.length, L: lab.L, a: lab.a, b: lab.b, plausible };
}

/**
 * Sums of `pow` at the R, G and B codes of the RGB pixels `d` where `mask` is set, and their
 * number: [ΣR, ΣG, ΣB, n].
 */
function sumsUnder(d: Uint8Array, mask: Uint8Array, pow: Float64Array): [number, number, number, number] {
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    sr += pow[d[i * 3]!]!;
    sg += pow[d[i * 3 + 1]!]!;
    sb += pow[d[i * 3 + 2]!]!;
    n++;
  }
  return [sr, sg, sb, n];
}

/**
 * Appends to `idx` and `lum` (BT.709 luma) the pixels of rows yFrom..yTo of the `width`-wide mask
 * `eyes` whose centre lies at least `irisR` from both iris centres (rx, ry) and (lx, ly).
 */
function scleraPixels(
  eyes: Uint8Array,
  width: number,
  yFrom: number,
  yTo: number,
  rx: number,
  ry: number,
  lx: number,
  ly: number,
  irisR: number,
  d: Uint8Array,
  idx: number[],
  lum: number[],
): void {
  for (let y = yFrom; y <= yTo; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!eyes[i]) continue;
      if (
        !(Math.hypot(x + 0.5 - rx, y + 0.5 - ry) >= irisR && Math.hypot(x + 0.5 - lx, y + 0.5 - ly) >= irisR)
      )
        continue;
      idx.push(i);
      lum.push(0.2126 * d[i * 3]! + 0.7152 * d[i * 3 + 1]! + 0.0722 * d[i * 3 + 2]!);
    }
}

/**
 * Appends to `r`, `g`, `b` the linear RGB (R × gr, B × gb) of the pixels `idx` whose `lum` lies in
 * [lo, hi].
 */
function linearBetween(
  d: Uint8Array,
  idx: number[],
  lum: number[],
  lo: number,
  hi: number,
  gr: number,
  gb: number,
  r: number[],
  g: number[],
  b: number[],
): void {
  for (let k = 0; k < idx.length; k++) {
    if (lum[k]! < lo || lum[k]! > hi) continue;
    const i = idx[k]!;
    r.push(SRGB_TO_LINEAR[d[i * 3]!]! * gr);
    g.push(SRGB_TO_LINEAR[d[i * 3 + 1]!]!);
    b.push(SRGB_TO_LINEAR[d[i * 3 + 2]!]! * gb);
  }
}
