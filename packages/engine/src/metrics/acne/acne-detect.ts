import type { ColourMaps } from '../../colour/colour-maps.input.ts';
import type { MetricContext } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { chessboardDistanceAt } from '../../geometry/raster.ts';
import { boxMeans, gaussianBlur } from '../../image/filters.ts';
import { frameFloat32, frameUint8, giveBack } from '../../image/frame-buffers.ts';
import { medianAt, minInDisc } from '../../image/pixel-stats.ts';
import { copyWindow } from '../../image/rgb-image.ts';
import { darkBlobs } from '../../texture/blob-detector.ts';
import { blockMajority, blockMean } from './block-mean.ts';

/**
 * Inflamed-lesion candidates (skin-metrics-methods.md §3) on the colour pipeline's white-balanced
 * a* map, over all of the face's skin (the face oval minus eyes, brows, lips, nostrils and pixels
 * that fail the skin-colour test; lesions anywhere on the face count, jaw and temples included).
 *
 * The map: a* times the face's lightnessGain (so that exposure does not change a lesion's redness),
 * with non-skin pixels filled with the local skin mean (so that the edges of the mask give no blobs;
 * clipped skin keeps its a* where redder than that mean: fillOutsideSkin), smoothed by a Gaussian of
 * ACNE_CHROMA_SIGMA_MM (so that the JPEG's chroma grid does not decide a lesion's peak).
 * Candidates: blobs of local redness found by the scale-normalised LoG of that map at σ ACNE_SIGMAS_MM
 * (radius σ·√2 = 1.4-4 mm: a papule or pustule is 2.5-8 mm across with its red halo; finer red dots
 * are capillaries and JPEG chroma noise; from 2·ACNE_SCALE_SPACE_PX_PER_MM px/mm up the scale space
 * runs on a block-mean reduced copy of the map, and Δa*, the gates and every measurement below are
 * taken on the full-resolution map), Hessian eigenvalue ratio ≥ ACNE_MIN_CIRCULARITY, Δa* (max
 * within the blob − mean over ACNE_BACKGROUND_MM of skin) ≥ ACNE_CANDIDATE_DELTA_A, and redder than
 * they are dark (Δa* ≥ ACNE_RED_OVER_DARK·ΔL*, ΔL* = mean L* over ACNE_BACKGROUND_MM − min L* within
 * the blob, times the same gain: a brown spot, a mole or a strand of hair over the skin darkens far
 * more than it reddens). Each candidate is then scored (a logit, 0 = even odds) from three
 * measurements, all on the gained, smoothed map:
 * - `surroundDeltaA`: max a* within the blob − the median a* of the skin within ACNE_SURROUND_MM
 *   (a median, so that neighbouring lesions of a severe case do not raise the background);
 * - `featureMm`: distance to the nearest eye, brow, lip or nostril (the frame's feature mask),
 *   chessboard metric, capped at ACNE_FEATURE_CAP_MM: lip borders, nostril rims, eyelids and
 *   inner eye corners are red without being lesions;
 * - `shape`: the blob's LoG response (its depth at its own scale) over its Δa* (its excess over the
 *   ACNE_BACKGROUND_MM mean): higher for a sharp spot than for a bump of a broad red patch;
 * score = ACNE_WEIGHTS.surroundDeltaA·surroundDeltaA + ACNE_WEIGHTS.featureMm·featureMm +
 * ACNE_WEIGHTS.shape·shape + ACNE_WEIGHTS.bias; a lesion is a candidate with score ≥ 0, and of
 * lesions whose discs overlap the higher-scored is kept (separateLesions).
 *
 * The weights are a logistic regression of "the candidate lies in a hand-drawn lesion box" on the
 * even-numbered half of the acne04 photos (../shared/faces, 283 close-ups with every lesion boxed;
 * scripts/fit-acne-weights.ts); a candidate is kept at even odds or better. On that half: recall
 * 0.33, precision 0.66, Spearman ρ of the count with the lesion count 0.71, 1.08 unboxed detections
 * per grade-0 photo. Of the boxes on photos with a face, a quarter lie outside the face oval
 * (three-quarter views where the mesh's outline falls short of the far cheek, lesions on jaw, neck
 * and temples), so recall cannot exceed about 0.74 here; inside the oval, lower odds move along one
 * recall-precision curve (the fit script prints it: odds of 0.44 : 0.56, recall 0.38, precision 0.61).
 * The odd half is held out (`npm run eval` reports both).
 * Each lesion is attributed to the first of ACNE_AREAS whose polygon holds it, or to `face`.
 */
export interface Lesion {
  /** Working-image pixels. */
  x: number;
  y: number;
  radiusPx: number;
  /** Max a* within the blob − mean a* of the skin over ACNE_BACKGROUND_MM. */
  deltaA: number;
  /** Max a* within the blob − median a* of the skin within ACNE_SURROUND_MM. */
  surroundDeltaA: number;
  /** Lesion score (logit, ≥ 0 for every lesion returned; higher = surer). */
  score: number;
  area: AreaName;
}

export const ACNE_SIGMAS_MM = [1, 1.4, 2, 2.8] as const;
/**
 * Resolution of the map the scale space runs on, px/mm: from twice this up the a* map is first reduced
 * by f = ⌊px/mm ÷ this⌋ (block means), so that the smallest scale (1 mm) is still ≥ 2 px while the
 * Gaussian filtering, whose cost grows with the pixel count times σ in px, costs about f³ times less.
 */
export const ACNE_SCALE_SPACE_PX_PER_MM = 2;
export const ACNE_MIN_CIRCULARITY = 0.3;
export const ACNE_CANDIDATE_DELTA_A = 4;
export const ACNE_RED_OVER_DARK = 0.3;
export const ACNE_BACKGROUND_MM = 8;
export const ACNE_SURROUND_MM = 10;
export const ACNE_FEATURE_CAP_MM = 10;
/** Most skin pixels sampled for a candidate's surround median (a strided grid beyond that). */
const SURROUND_SAMPLES = 2500;
export const ACNE_WEIGHTS = Object.freeze({
  surroundDeltaA: 0.426,
  featureMm: 0.429,
  shape: 0.864,
  bias: -7.82,
});
/** Logit of the odds at which candidates are kept (even odds): the regression's own logit is score + this. */
export const ACNE_KEEP_LOGIT = 0;
export const ACNE_AREAS = ['forehead', 'nose', 'left_cheek', 'right_cheek', 'chin'] as const;

/** The `box` window of a `width`-wide map times −`gain`, in a frame buffer (image/frame-buffers.ts). */
function negatedWindow(map: Float32Array, width: number, box: Box, gain: number): Float32Array {
  const out = frameFloat32(box.w * box.h);
  for (let y = 0; y < box.h; y++)
    for (let x = 0; x < box.w; x++) out[y * box.w + x] = -gain * map[(y + box.y0) * width + x + box.x0]!;
  return out;
}

/**
 * The skin lightness (CIELAB L*) at which a* differences are read as they are; on other skin they
 * are scaled by lightnessGain. 65 is about the median skin L* of the shared portraits and of the
 * acne04 faces alike.
 */
export const ACNE_REFERENCE_L = 65;

/**
 * The factor that puts the face's a* and L* differences on the scale of skin at ACNE_REFERENCE_L:
 * (ACNE_REFERENCE_L + 16) / (median skin L* + 16). A change of exposure by k multiplies X, Y and Z
 * by k, so every CIELAB f(t) = t^⅓ by k^⅓: L* + 16 = 116 f(Y) and a* = 500 (f(X) − f(Y)) scale
 * alike, and a* / (L* + 16) depends on the chromaticity alone (a photo 10% darker in sRGB, about 21%
 * in linear light, reads every a* difference 7.5% smaller). 1 when the face has no skin pixels.
 */
export function lightnessGain(colour: Pick<ColourMaps, 'L' | 'skinIndex'>): number {
  const median = medianAt(colour.L, colour.skinIndex);
  return Number.isFinite(median) ? (ACNE_REFERENCE_L + 16) / (Math.max(0, median) + 16) : 1;
}

/**
 * Standard deviation of the Gaussian that smooths the a* map before the blobs are found and
 * measured, mm. A JPEG's chroma is stored at half resolution and every resize, re-encode or rotation
 * resamples it again, so a lesion's peak a* pixel moves with the file rather than the skin; at
 * 0.7 mm (over a 2 × 2 chroma cell from about 1.4 px/mm up) a papule of 2.5 mm or more keeps its
 * peak while the chroma grid's own detail is averaged out.
 */
export const ACNE_CHROMA_SIGMA_MM = 0.7;

interface Box {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

/** A blob that passed the candidate gates, with the measurements its score is made of. */
export interface LesionCandidate {
  /** Frame pixels. */
  fx: number;
  fy: number;
  radiusPx: number;
  deltaA: number;
  surroundDeltaA: number;
  featureMm: number;
  shape: number;
}

/**
 * L* under which a pixel of the skin region is nearly black (linear luminance Y < 0.02, the colour
 * maps' darkness test) rather than clipped: 116·∛0.02 − 16 ≈ 15.5.
 */
const NEAR_BLACK_L = 116 * Math.cbrt(0.02) - 16;

/**
 * Prepares the scale space's input (−a*, crop pixels) and its mask of possible blob centres: skin
 * pixels keep −a* and are set in `centres`. A clipped pixel of the skin region (in `region`, not in
 * `skin`, L* ≥ NEAR_BLACK_L) keeps −a* and is set in `centres` where it is redder than the background
 * `fill`: R, the first channel of skin to reach its clip level, is cut there, so a* reads low and the
 * redness it still shows is real (a red lesion on a bright forehead or cheek whose R is clipped).
 * Every other pixel (clipped and no redder than the background, near black, not skin) reads `fill`.
 */
function fillOutsideSkin(
  negA: Float32Array,
  fill: Float32Array,
  skin: Uint8Array,
  region: Uint8Array,
  L: Float32Array,
  centres: Uint8Array,
): void {
  for (let i = 0; i < fill.length; i++) {
    if (skin[i] || (region[i] && L[i]! >= NEAR_BLACK_L && negA[i]! < fill[i]!)) centres[i] = 1;
    else negA[i] = fill[i]!;
  }
}

/** The score (logit) of a candidate: ACNE_WEIGHTS applied to its measurements. */
export function lesionScore(c: Pick<LesionCandidate, 'surroundDeltaA' | 'featureMm' | 'shape'>): number {
  const w = ACNE_WEIGHTS;
  return w.surroundDeltaA * c.surroundDeltaA + w.featureMm * c.featureMm + w.shape * c.shape + w.bias;
}

/** Every blob of local redness on the face's skin that passes the candidate gates (frame pixels). */
export function lesionCandidates(ctx: MetricContext, colour: ColourMaps): LesionCandidate[] {
  const ppm = ctx.face.pxPerMm;
  const sigmas = ACNE_SIGMAS_MM.map((s) => s * ppm).filter((s) => s >= 1);
  if (!sigmas.length) return [];
  const sb = colour.skinBox;
  const box: Box = { x0: sb.x0, y0: sb.y0, w: sb.x1 - sb.x0, h: sb.y1 - sb.y0 };
  if (box.w < 3 || box.h < 3) return [];
  const { x0, y0, w, h } = box;
  const skinU8 = copyWindow(colour.skin, colour.width, x0, y0, w, h, frameUint8(w * h));
  const regionU8 = copyWindow(colour.skinRegion, colour.width, x0, y0, w, h, frameUint8(w * h));
  const gain = lightnessGain(colour);
  const rawNegA = negatedWindow(colour.a, colour.width, box, gain);
  const L = {
    data: copyWindow(colour.L, colour.width, x0, y0, w, h, frameFloat32(w * h)),
    width: w,
    height: h,
  };
  const r = Math.max(2, Math.round(ACNE_BACKGROUND_MM * ppm));
  const [bgL, fill] = boxMeans([L.data, rawNegA], box.w, box.h, r, skinU8) as [Float32Array, Float32Array];
  const centres = frameUint8(skinU8.length);
  fillOutsideSkin(rawNegA, fill, skinU8, regionU8, L.data, centres);
  const negA = gaussianBlur(
    { data: rawNegA, width: w, height: h },
    ACNE_CHROMA_SIGMA_MM * ppm,
    frameFloat32(w * h),
  );
  giveBack(rawNegA);
  const f = Math.max(1, Math.floor(ppm / ACNE_SCALE_SPACE_PX_PER_MM));
  const coarse = f > 1 ? blockMean(negA, f) : negA;
  const blobs = darkBlobs(coarse, {
    sigmasPx: sigmas.map((s) => s / f),
    minResponse: ACNE_CANDIDATE_DELTA_A / 2,
    minCircularity: ACNE_MIN_CIRCULARITY,
    minContrast: f > 1 ? ACNE_CANDIDATE_DELTA_A / 2 : ACNE_CANDIDATE_DELTA_A,
    backgroundPx: r / f,
    mask: f > 1 ? blockMajority(centres, box.w, box.h, f) : centres,
    // Unreduced, its background is `fill`: the same mean over the same skin (the filled pixels are not read).
    background: f > 1 ? undefined : fill,
  });
  const out: LesionCandidate[] = [];
  for (const coarseBlob of blobs) {
    const b = { ...coarseBlob, x: coarseBlob.x * f, y: coarseBlob.y * f, radius: coarseBlob.radius * f };
    const centre = Math.floor(b.y) * box.w + Math.floor(b.x);
    if (f > 1) {
      b.contrast = fill[centre]! - minInDisc(negA.data, box.w, box.h, b.x, b.y, b.radius);
      if (b.contrast < ACNE_CANDIDATE_DELTA_A) continue;
    }
    const deltaL = gain * (bgL[centre]! - minInDisc(L.data, box.w, box.h, b.x, b.y, b.radius));
    if (b.contrast < ACNE_RED_OVER_DARK * deltaL) continue;
    const fx = b.x + box.x0;
    const fy = b.y + box.y0;
    const peak = -minInDisc(negA.data, box.w, box.h, b.x, b.y, b.radius, centres);
    const median = medianWithin(
      colour.a,
      colour.skin,
      colour.width,
      colour.height,
      fx,
      fy,
      ACNE_SURROUND_MM * ppm,
    );
    out.push({
      fx,
      fy,
      radiusPx: b.radius,
      deltaA: b.contrast,
      surroundDeltaA: Number.isFinite(peak) && Number.isFinite(median) ? peak - gain * median : 0,
      featureMm: Math.min(
        ACNE_FEATURE_CAP_MM,
        chessboardDistanceAt(
          ctx.frame.featureMask,
          Math.floor(fx),
          Math.floor(fy),
          ACNE_FEATURE_CAP_MM * ppm,
        ) / ppm,
      ),
      shape: b.response / Math.max(1, b.contrast),
    });
  }
  giveBack(negA.data, L.data, bgL, fill, skinU8, regionU8, centres);
  return out;
}

/**
 * The lesions left when, in falling score order, each is kept unless its disc overlaps (centre
 * distance < the sum of the radii) one already kept: two redness peaks within one lesion are one
 * lesion. The result is in falling score order.
 */
export function separateLesions<T extends { x: number; y: number; radiusPx: number; score: number }>(
  lesions: readonly T[],
): T[] {
  const kept: T[] = [];
  for (const l of [...lesions].sort((a, b) => b.score - a.score))
    if (!kept.some((k) => Math.hypot(k.x - l.x, k.y - l.y) < k.radiusPx + l.radiusPx)) kept.push(l);
  return kept;
}

/**
 * Every lesion on the face's skin (working-image pixels), with its area: the candidates scoring ≥ 0,
 * overlapping ones merged by separateLesions, surest first.
 */
export function detectLesions(ctx: MetricContext, colour: ColourMaps): Lesion[] {
  const areas = ACNE_AREAS.map((area) => ({ area, skin: colour.areaSkin(area) }));
  const out: Lesion[] = [];
  for (const c of lesionCandidates(ctx, colour)) {
    const score = lesionScore(c);
    if (score < 0) continue;
    const k = Math.floor(c.fy) * colour.width + Math.floor(c.fx);
    out.push({
      x: c.fx + ctx.frame.x0,
      y: c.fy + ctx.frame.y0,
      radiusPx: c.radiusPx,
      deltaA: c.deltaA,
      surroundDeltaA: c.surroundDeltaA,
      score,
      area: areas.find((a) => a.skin[k])?.area ?? 'face',
    });
  }
  return separateLesions(out);
}

/** Median of `data` over the mask's pixels within radius r of (cx, cy) (a strided sample when large); NaN when none. */
function medianWithin(
  data: Float32Array,
  mask: Uint8Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
): number {
  const R = Math.max(1, Math.round(r));
  const px = Math.floor(cx);
  const py = Math.floor(cy);
  const step = Math.max(1, Math.ceil(Math.sqrt((Math.PI * R * R) / SURROUND_SAMPLES)));
  const side = Math.floor((2 * R) / step) + 1;
  const values = new Float32Array(side * side);
  let n = 0;
  for (let dy = -R; dy <= R; dy += step) {
    const y = py + dy;
    if (y < 0 || y >= h) continue;
    for (let dx = -R; dx <= R; dx += step) {
      const x = px + dx;
      if (x < 0 || x >= w || dx * dx + dy * dy > R * R) continue;
      const i = y * w + x;
      if (mask[i]) values[n++] = data[i]!;
    }
  }
  if (!n) return Number.NaN;
  const sorted = values.subarray(0, n).sort();
  return sorted[Math.floor((n - 1) / 2)]!;
}
