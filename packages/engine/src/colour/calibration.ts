/**
 * Calibration constants of the colour metrics, in one place.
 *
 * Derived once from population statistics of the shared calibration faces (../shared/faces:
 * the 42 portraits and the 198 FairFace photos), never per photo, by
 * `node --import tsx scripts/calibrate-colour.ts` (it prints the percentiles below). Each score anchor holds
 * three raw values of one measurement:
 *  - `good`:    the 5th percentile of the population  → score 95;
 *  - `typical`: the median                             → score 80;
 *  - `poor`:    the 95th percentile                    → score 50;
 * When a measurement is floored at 0 and its 5th percentile sits on the floor, `good` is set to
 * typical − (poor − typical)/8 instead, so that tiny raw differences near the floor do not swing
 * the score. `scoreLowerIsBetter` interpolates linearly between them, extrapolates with the end slopes
 * and clamps to 0-100 (monotonic by construction; see `scoreLowerIsBetter`).
 */

/** Three raw values (good < typical < poor) of a measurement where more is worse. */
export interface ScoreAnchors {
  good: number;
  typical: number;
  poor: number;
}

/**
 * Monotonic (non-increasing) map of a "more is worse" raw measurement to a 0-100 score:
 * piecewise linear through (good, 95), (typical, 80), (poor, 50), extended with the slopes of the
 * first and last segment, clamped to [0, 100].
 */
export function scoreLowerIsBetter(raw: number, anchors: ScoreAnchors): number {
  if (!Number.isFinite(raw)) return Number.NaN;
  const { good, typical, poor } = anchors;
  let score: number;
  if (raw <= typical) score = 80 + ((typical - raw) / Math.max(1e-9, typical - good)) * 15;
  else score = 80 - ((raw - typical) / Math.max(1e-9, poor - typical)) * 30;
  return Math.max(0, Math.min(100, score));
}

/**
 * Skin locus of the shades-of-grey estimate (linear R/G, B/G); see white-balance.ts. Population
 * p05-p95: R/G 1.13-2.64, B/G 0.41-1.05 (n = 218); B/G above 0.95 (skin bluer than grey) and R/G
 * under 1.2 are casts, so the locus is that range clipped there.
 */
export const WB_SKIN_LOCUS = { rgMin: 1.2, rgMax: 2.7, bgMin: 0.4, bgMax: 0.95 } as const;

/**
 * Expected haemoglobin density of a face's skin from its own melanin density (skin-tone norm for
 * redness): hb_expected = c0 + cM·melanin, least squares over the calibration faces' face medians.
 */
export const REDNESS_TONE_NORM = { c0: 1.2348, cM: 0.9016 } as const;

/** Δa* over the face's own skin median above which a pixel reads as locally red (after FINE_MM smoothing). */
export const LOCAL_RED_DELTA_A = 4;

export const ANCHORS = {
  /** Area median haemoglobin density minus REDNESS_TONE_NORM expectation; pooled over the five areas, n = 1020. */
  rednessGlobal: { good: -0.959, typical: -0.075, poor: 1.236 },
  /** Mean over the area of max(0, Δa* − LOCAL_RED_DELTA_A) (Δa* × share); pooled, n = 1020, p05 at the floor. */
  rednessLocal: { good: -0.067, typical: 0.119, poor: 1.607 },
  /** Mean normalised deviation of shading-free L*, melanin and haemoglobin, 2 mm inside the skin; pooled over face, forehead, cheeks and chin, n = 985. */
  uniformness: { good: 0.364, typical: 0.963, poor: 2.133 },
  /** Spot coverage × darkness above the detection floor: Σ spot area · (|ΔL*| − tL/2) / skin area, %·ΔL*; pooled over six areas, n = 170 (portraits ≥ 1.5 px/mm), median at the floor (most areas hold no spot). */
  pigmentation: { good: -0.879, typical: 0, poor: 6.81 },
  /** Dark-circle colour difference (ΔE with ΔL* counted only when darker), CIELAB units; n = 383 sides. */
  darkCircles: { good: 2.539, typical: 9.525, poor: 22.302 },
  /** Negated radiance index (see translucency.metric.ts), so that more is worse; n = 208 (faces ≥ MIN_EVEN_PX_PER_MM, not overexposed). */
  translucency: { good: -0.658, typical: -0.015, poor: 0.785 },
} as const satisfies Record<string, ScoreAnchors>;

/**
 * Population medians (n = 213, faces ≥ MIN_EVEN_PX_PER_MM) of the face's mean absolute deviation of shading-free L* (the
 * lightness the pigment deviations make), melanin and haemoglobin, each area against its own
 * medians, pooled over the areas (uniformness `raw.norms`): each is divided by its norm so the
 * three weigh alike.
 */
export const UNIFORMNESS_NORMS = { L: 4.6447, melanin: 0.2042, haemoglobin: 0.275 } as const;

/**
 * Population median and scale of the translucency components (z = (x − median) / scale), with
 * scale = (p95 − p05) / 3.29 (the SD were they normal); n = 208.
 */
export const TRANSLUCENCY_NORMS = {
  lightness: { median: 54.8, scale: 16.63 },
  gloss: { median: 4.509, scale: 2.137 },
  unevenness: { median: 1.066, scale: 0.498 },
} as const;
