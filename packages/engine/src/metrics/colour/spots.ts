import type { ColourDetail } from '../../colour/colour-detail.input.ts';
import {
  type Labelling,
  labelRegions,
  type Region,
  ringPerimeter,
  traceContour,
} from '../../colour/regions.ts';
import type { Point } from '../../geometry/polygon.ts';
import { polygonArea } from '../../geometry/polygon.ts';
import { dilateMask } from '../../geometry/raster.ts';
import { positiveBox, quantileOf } from '../../image/filters.ts';
import { frameFloat32, frameUint8, giveBack } from '../../image/frame-buffers.ts';
import { sampleUnder } from '../../image/pixel-stats.ts';
import { copyWindow } from '../../image/rgb-image.ts';

/**
 * Pigmented spots on the melanin map (skin-metrics-methods.md §4, §5).
 *
 * A spot holds pixels that, in colour-detail's band-pass maps (about 1-12 mm), are more
 * pigmented, Δmelanin ≥ max(MIN_DELTA_MEL, 3·σ_M) (the melanin map is the detector: on light
 * skin melanin darkens blue far more than L*), and darker, ΔL* ≤ −max(MIN_DELTA_L, 1.5·σ_L),
 * where σ are robust SDs (1.4826·MAD) over the searched skin (so the threshold rises with noise,
 * not with the number of spots, which cover a small share); it extends (hysteresis) over the
 * connected pixels passing half of both thresholds, so its size is measured at half contrast. Red lesions fail the melanin
 * test; soft shadows are removed by the shading projection and the band-pass. The skin mask is
 * eroded by EDGE_MM so feature and hair borders do not count (`skin` is the searched region,
 * `usable` the pixels with trustworthy colour: clipped pixels are skipped but do not erode).
 * Spots are 8-connected regions of at least 1 mm equivalent diameter (and 3 px) and at most
 * MAX_AREA_MM2 (larger dark patches are mostly shadows and hair); above 2 mm long, elongated or
 * ragged regions (lines, hairs, creases at any angle: principal-axis ratio > MAX_ELONGATION, or
 * bounding-box fill < 0.35) are dropped, and so
 * are very dark regions that are not moles (ΔL* ≤ −MOLE_DELTA_L without a mole's round shape,
 * sharp edge and 1-6 mm size: brow, lash and hair fragments, which at lower resolutions blur
 * into roundish blobs; freckles and lentigines are lighter than that). A spot also needs
 * isotropic surroundings: within SURROUND_MM of its centre, the skin around it (its own pixels
 * left out) must have an orientation coherence of the band-pass ΔL* gradients (structure tensor
 * of differences over GRADIENT_MM, (λ1 − λ2)/(λ1 + λ2)) of at most MAX_SURROUND_COHERENCE: a
 * dark patch inside parallel structure (hair strands at the hairline, the alar groove, the
 * shaded side of the nose, expression creases) is part of that structure. Round spots injected
 * on the 28 portraits (n = 420) read 0.19 median, 0.72 at the 99th percentile, 0.7% above 0.75;
 * 17% of the photos' own detections read above 0.75.
 *
 * Moles (§5 rules, [E]): mean ΔL* ≤ −MOLE_DELTA_L, equivalent diameter 1-6 mm, circularity
 * 4π·area/perimeter² ≥ 0.6 and a sharp edge (the 1-px ring around the region keeps less than
 * half the region's mean ΔL*). Others are `spot` (AILab `skin_spot`).
 */
export interface Spot {
  kind: 'mole' | 'spot';
  /** Centroid and bounding box (of the whole region; x1, y1 inclusive) in frame pixels. */
  cx: number;
  cy: number;
  box: { x0: number; y0: number; x1: number; y1: number };
  /** Size at half the spot's peak Δmelanin (full width at half maximum, blur- and edge-independent). */
  areaPx: number;
  areaMm2: number;
  /** Mean ΔL* (negative) and Δmelanin over the region. */
  deltaL: number;
  deltaMelanin: number;
  circularity: number;
  /**
   * Ratio of the principal axes (second moments), the minor one at least that of a 1 mm wide
   * band (so a region a pixel or two wide at low resolution is not called elongated).
   */
  elongation: number;
  /** Length along the major axis, mm (4σ of the pixel positions along it). */
  lengthMm: number;
  /** Contour in frame pixels. */
  contour: Point[];
}

export const MIN_DELTA_L = 3;
export const MIN_DELTA_MEL = 0.03;
export const EDGE_MM = 3;
export const MAX_AREA_MM2 = 40;
export const MOLE_DELTA_L = 12;
/** Regions longer than 2 mm and at least this many times longer than wide (principal axes) are creases or hairs; pigmented spots are round to oval. */
export const MAX_ELONGATION = 3;
/** Radius of the surroundings whose orientation coherence is tested, mm. */
export const SURROUND_MM = 3;
/** Gradients for that test are differences over this distance, mm (about one pixel at 1.5 px/mm). */
export const GRADIENT_MM = 0.6;
/** Largest orientation coherence (0 isotropic, 1 one direction) of a spot's surroundings. */
export const MAX_SURROUND_COHERENCE = 0.75;

export function detectSpots(
  detail: ColourDetail,
  skin: Uint8Array,
  usable: Uint8Array,
  width: number,
  height: number,
  pxPerMm: number,
): { spots: Spot[]; thresholds: { deltaL: number; deltaMelanin: number }; skinEroded: Uint8Array } {
  const box = positiveBox(skin, width, height, 1);
  const skinEroded = frameUint8(skin.length);
  if (!box)
    return { spots: [], thresholds: { deltaL: MIN_DELTA_L, deltaMelanin: MIN_DELTA_MEL }, skinEroded };
  // Everything below runs on the searched skin's bounding box (w × h), not the whole frame.
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const { x0, y0 } = box;
  const skinC = copyWindow(skin, width, x0, y0, w, h, frameUint8(w * h));
  const usableC = copyWindow(usable, width, x0, y0, w, h, frameUint8(w * h));
  const L = copyWindow(detail.delta.L, width, x0, y0, w, h, frameFloat32(w * h));
  const melanin = copyWindow(detail.delta.melanin, width, x0, y0, w, h, frameFloat32(w * h));
  const inv = frameUint8(w * h);
  invertInto(skinC, inv);
  // Outside the box counts as non-skin too: the box is grown by one pixel so its border erodes.
  const grown = dilateMask(
    { data: inv, width: w, height: h },
    Math.max(1, Math.round(EDGE_MM * pxPerMm)),
  ).data;
  const eroded = frameUint8(w * h);
  keepUsable(grown, usableC, eroded);
  const tL = Math.max(MIN_DELTA_L, 1.5 * robustSd(L, eroded));
  const tM = Math.max(MIN_DELTA_MEL, 3 * robustSd(melanin, eroded));
  // Hysteresis: regions of the half-threshold map that hold at least one full-threshold pixel,
  // so that a spot's extent is measured at half its contrast (its physical edge), not its core.
  const low = frameUint8(w * h);
  markDarkPigmented(eroded, L, melanin, -0.5 * tL, 0.5 * tM, low);
  const labelling = labelRegions(low, w, h, L);
  const seeded = new Uint8Array(labelling.regions.length + 1);
  markSeeded(low, L, melanin, -tL, tM, labelling.labels, seeded);
  const mm2 = pxPerMm * pxPerMm;
  const minArea = Math.max(3, (Math.PI / 4) * mm2);
  const surround = Math.max(2, Math.round(SURROUND_MM * pxPerMm));
  const step = Math.max(1, Math.round(GRADIENT_MM * pxPerMm));
  const spots: Spot[] = [];
  for (const r of labelling.regions) {
    if (!seeded[r.label]) continue;
    if (r.area < minArea || r.area > MAX_AREA_MM2 * mm2) continue;
    const bw = r.x1 - r.x0 + 1;
    const bh = r.y1 - r.y0 + 1;
    const fill = r.area / (bw * bh);
    const spot = describe(labelling, r, L, melanin, w, h, mm2, pxPerMm);
    if (spot.lengthMm > 2 && (spot.elongation > MAX_ELONGATION || fill < 0.35)) continue;
    if (spot.deltaL <= -MOLE_DELTA_L && spot.kind !== 'mole') continue; // very dark and not a mole: hair
    if (surroundCoherence(L, skinC, labelling.labels, r, w, h, surround, step) > MAX_SURROUND_COHERENCE)
      continue;
    spots.push(shifted(spot, box.x0, box.y0));
  }
  for (let y = 0; y < h; y++)
    skinEroded.set(eroded.subarray(y * w, (y + 1) * w), (y + box.y0) * width + box.x0);
  giveBack(skinC, usableC, L, melanin, inv, grown, eroded, low, labelling.labels);
  return { spots, thresholds: { deltaL: tL, deltaMelanin: tM }, skinEroded };
}

/** The spot moved by (dx, dy) pixels (box-crop to frame coordinates). */
function shifted(spot: Spot, dx: number, dy: number): Spot {
  return {
    ...spot,
    cx: spot.cx + dx,
    cy: spot.cy + dy,
    box: { x0: spot.box.x0 + dx, y0: spot.box.y0 + dy, x1: spot.box.x1 + dx, y1: spot.box.y1 + dy },
    contour: spot.contour.map(([x, y]) => [x + dx, y + dy] as Point),
  };
}

function describe(
  labelling: Labelling,
  r: Region,
  L: Float32Array,
  melanin: Float32Array,
  width: number,
  height: number,
  mm2: number,
  pxPerMm: number,
): Spot {
  let sumM = 0;
  let peakM = 0;
  for (let y = r.y0; y <= r.y1; y++)
    for (let x = r.x0; x <= r.x1; x++) {
      const i = y * width + x;
      if (labelling.labels[i] === r.label && melanin[i]! > peakM) peakM = melanin[i]!;
    }
  let halfArea = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let ringSum = 0;
  let ringN = 0;
  for (let y = Math.max(0, r.y0 - 1); y <= Math.min(height - 1, r.y1 + 1); y++)
    for (let x = Math.max(0, r.x0 - 1); x <= Math.min(width - 1, r.x1 + 1); x++) {
      const i = y * width + x;
      if (labelling.labels[i] === r.label) {
        sumM += melanin[i]!;
        sxx += (x - r.cx) * (x - r.cx);
        syy += (y - r.cy) * (y - r.cy);
        sxy += (x - r.cx) * (y - r.cy);
        if (melanin[i]! >= 0.5 * peakM) halfArea++;
        continue;
      }
      if (touches(labelling.labels, r.label, x, y, width, height)) {
        ringSum += L[i]!;
        ringN++;
      }
    }
  const deltaL = r.weight / r.area;
  const [major, minor] = principalVariances(sxx / r.area, syy / r.area, sxy / r.area);
  const contour = traceContour(labelling, r, width, height);
  const perimeter = ringPerimeter(contour) + Math.PI; // pixel-centre contour → outer boundary
  const areaForShape = polygonArea(contour) + perimeter / 2;
  const circularity =
    contour.length >= 3 ? Math.min(1, (4 * Math.PI * areaForShape) / (perimeter * perimeter)) : 1;
  const diameterMm = (2 * Math.sqrt(r.area / Math.PI)) / pxPerMm;
  const sharp = ringN > 0 && ringSum / ringN > 0.5 * deltaL;
  const mole = deltaL <= -MOLE_DELTA_L && diameterMm >= 1 && diameterMm <= 6 && circularity >= 0.6 && sharp;
  return {
    kind: mole ? 'mole' : 'spot',
    cx: r.cx,
    cy: r.cy,
    box: { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 },
    areaPx: halfArea,
    areaMm2: halfArea / mm2,
    deltaL,
    deltaMelanin: sumM / r.area,
    circularity,
    elongation: Math.sqrt(major / Math.max(minor, (pxPerMm * pxPerMm) / 12)),
    lengthMm: (4 * Math.sqrt(major)) / pxPerMm,
    contour,
  };
}

/**
 * Orientation coherence (λ1 − λ2)/(λ1 + λ2) of the structure tensor of `L` (gradients as
 * differences over ±step px) over the skin pixels within `radius` px of the region's centroid,
 * the region's own pixels left out; 0 when the surroundings hold no gradient.
 */
export function surroundCoherence(
  L: Float32Array,
  skin: Uint8Array,
  labels: Int32Array,
  r: Region,
  w: number,
  h: number,
  radius: number,
  step: number,
): number {
  let xx = 0;
  let yy = 0;
  let xy = 0;
  const cx = Math.round(r.cx);
  const cy = Math.round(r.cy);
  for (let y = Math.max(step, cy - radius); y < Math.min(h - step, cy + radius + 1); y++)
    for (let x = Math.max(step, cx - radius); x < Math.min(w - step, cx + radius + 1); x++) {
      const i = y * w + x;
      if (!skin[i] || labels[i] === r.label || (x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue;
      const gx = L[i + step]! - L[i - step]!;
      const gy = L[i + step * w]! - L[i - step * w]!;
      xx += gx * gx;
      yy += gy * gy;
      xy += gx * gy;
    }
  const [major, minor] = principalVariances(xx, yy, xy);
  return major + minor > 0 ? (major - minor) / (major + minor) : 0;
}

/** Eigenvalues (larger first) of the 2×2 covariance [[xx, xy], [xy, yy]]. */
function principalVariances(xx: number, yy: number, xy: number): [number, number] {
  const mean = (xx + yy) / 2;
  const d = Math.sqrt(((xx - yy) / 2) ** 2 + xy * xy);
  return [mean + d, Math.max(0, mean - d)];
}

function touches(labels: Int32Array, label: number, x: number, y: number, w: number, h: number): boolean {
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h && labels[yy * w + xx] === label) return true;
    }
  return false;
}

/** 1.4826 × median absolute deviation of the values under a mask. */
export function robustSd(values: Float32Array, mask: Uint8Array): number {
  const s = sampleUnder(values, mask);
  if (s.length === 0) return 0;
  const med = quantileOf(s, 0.5);
  for (let i = 0; i < s.length; i++) s[i] = Math.abs(s[i]! - med);
  return 1.4826 * quantileOf(s, 0.5);
}

/** `out[i]` = 1 where `mask` is 0, else 0. */
function invertInto(mask: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = mask[i] ? 0 : 1;
}

/** `out[i]` = 1 where `usable` is set and `removed` is not, else 0. */
function keepUsable(removed: Uint8Array, usable: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = removed[i] || !usable[i] ? 0 : 1;
}

/** Sets `out` where `mask` is set, L ≤ maxL and melanin ≥ minMelanin. */
function markDarkPigmented(
  mask: Uint8Array,
  L: Float32Array,
  melanin: Float32Array,
  maxL: number,
  minMelanin: number,
  out: Uint8Array,
): void {
  for (let i = 0; i < out.length; i++) if (mask[i] && L[i]! <= maxL && melanin[i]! >= minMelanin) out[i] = 1;
}

/** Sets `seeded[label]` for the labels of the pixels of `mask` with L ≤ maxL and melanin ≥ minMelanin. */
function markSeeded(
  mask: Uint8Array,
  L: Float32Array,
  melanin: Float32Array,
  maxL: number,
  minMelanin: number,
  labels: Int32Array,
  seeded: Uint8Array,
): void {
  for (let i = 0; i < mask.length; i++)
    if (mask[i] && L[i]! <= maxL && melanin[i]! >= minMelanin) seeded[labels[i]!] = 1;
}
