import type { QualityMeasures } from './quality-measures.ts';

/**
 * 0-100 quality scores from raw measures. Each mapping is monotonic and documented; thresholds
 * follow OFIQ (ISO/IEC 29794-5 reference code) where it has one, and skin-metrics-methods.md §17
 * otherwise. A score under PROBLEM_THRESHOLD raises a problem.
 */
export interface QualityScores {
  blur: number;
  underexposure: number;
  overexposure: number;
  light_uniformity: number;
  colour_cast: number;
  face_size: number;
  head_pose: number;
  occlusion: number;
  /** Geometric mean of the scores above. */
  overall: number;
}

export type QualityProblem =
  | 'blurry'
  | 'underexposed'
  | 'overexposed'
  | 'uneven_light'
  | 'colour_cast'
  | 'face_too_small'
  | 'head_pose'
  | 'occluded';

export const PROBLEM_THRESHOLD = 50;

const clamp01 = (v: number) => Math.max(0, Math.min(1, v));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const smoothstep = (e0: number, e1: number, x: number) => {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};

/** Blur: 100·(1 − exp(−v/τ)) of the normalised Laplacian variance v, τ = 60 (sharp portraits give v ≈ 150-600). */
export function blurScore(laplacianVariance: number): number {
  return 100 * (1 - Math.exp(-laplacianVariance / 60));
}

/**
 * Under-exposure: the brightest skin (95th percentile luma) must reach well above black; 100 at
 * p95 ≥ 110, 0 at p95 ≤ 35, linear between; lowered further by the share of crushed shadows
 * (100·exp(−f/0.25)). The 95th percentile keeps dark skin in good light from reading as dark.
 */
export function underexposureScore(m: Pick<QualityMeasures, 'lumaP95' | 'darkFraction'>): number {
  return 100 * Math.min(clamp01((m.lumaP95 - 35) / 75), Math.exp(-m.darkFraction / 0.25));
}

/**
 * Over-exposure: clipped highlights (a channel at its clip level, image/clip-levels.ts) are normal up to ~3% of the face (specular
 * shine); the score falls smoothly to 0 at 35%. The darkest skin (5th percentile luma) above 215 also
 * signals a washed-out face (0 at 250).
 */
export function overexposureScore(m: Pick<QualityMeasures, 'clippedFraction' | 'lumaP05'>): number {
  const clip = 1 - smoothstep(0.03, 0.35, m.clippedFraction);
  const washed = 1 - smoothstep(200, 245, m.lumaP05);
  return 100 * Math.min(clip, washed);
}

/**
 * Light uniformity: OFIQ IlluminationUniformity, 100·raw^0.3 of the cheek histogram intersection,
 * combined with the cheeks' L* difference (100 at ΔL* ≤ 3, 0 at ΔL* ≥ 20).
 */
export function lightUniformityScore(
  m: Pick<QualityMeasures, 'cheekHistogramIntersection' | 'cheekLightnessLeft' | 'cheekLightnessRight'>,
): number {
  const ofiq = 100 * clamp01(m.cheekHistogramIntersection) ** 0.3;
  const dL = Math.abs(m.cheekLightnessLeft - m.cheekLightnessRight);
  const diff = 100 * (1 - clamp01((dL - 3) / 17));
  return Math.min(ofiq, diff);
}

/**
 * Colour cast: OFIQ NaturalColour. Distance d of mean cheek (a*, b*) outside the box a* ∈ [5, 25],
 * b* ∈ [5, 35] (d = 100 when a* or b* < 0), score = 200·(1 − logistic(d/10)).
 */
export function colourCastScore(m: Pick<QualityMeasures, 'cheekA' | 'cheekB'>): number {
  const outside = (v: number, lo: number, hi: number) => (v < lo ? lo - v : v > hi ? v - hi : 0);
  const d =
    m.cheekA < 0 || m.cheekB < 0 ? 100 : Math.hypot(outside(m.cheekA, 5, 25), outside(m.cheekB, 5, 35));
  return 200 * (1 - logistic(d / 10));
}

/**
 * Face size: logistic in the inter-pupil distance (original pixels), 50 at 80 px, width 25 px
 * (OFIQ InterEyeDistance uses 70 and 20).
 * Skin texture needs more: about 250 px IPD for lines and spots, 500 px for pores (§17).
 */
export function faceSizeScore(ipdPx: number): number {
  return 100 * logistic((ipdPx - 80) / 25);
}

/**
 * Head pose: Gaussian fall-off per angle; yaw and pitch with σ = 20° (10° → 78, 20° → 37), roll with
 * σ = 40° because the restored image corrects it. The worst angle sets the score.
 */
export function headPoseScore(m: Pick<QualityMeasures, 'yaw' | 'pitch' | 'roll'>): number {
  const g = (v: number, s: number) => Math.exp(-((v / s) ** 2));
  return 100 * Math.min(g(m.yaw, 20), g(m.pitch, 20), g(m.roll, 40));
}

/** Occlusion: 100 while at most 8% of the expected skin is covered, 0 at 45%, smooth between. */
export function occlusionScore(occludedFraction: number): number {
  return 100 * (1 - smoothstep(0.08, 0.45, occludedFraction));
}

export function scoreQuality(m: QualityMeasures): { scores: QualityScores; problems: QualityProblem[] } {
  const parts = {
    blur: blurScore(m.laplacianVariance),
    underexposure: underexposureScore(m),
    overexposure: overexposureScore(m),
    light_uniformity: lightUniformityScore(m),
    colour_cast: colourCastScore(m),
    face_size: faceSizeScore(m.ipdPx),
    head_pose: headPoseScore(m),
    occlusion: occlusionScore(m.occludedFraction),
  };
  const values = Object.values(parts);
  const overall = Math.exp(values.reduce((s, v) => s + Math.log(Math.max(1, v)), 0) / values.length);
  const names: Record<keyof typeof parts, QualityProblem> = {
    blur: 'blurry',
    underexposure: 'underexposed',
    overexposure: 'overexposed',
    light_uniformity: 'uneven_light',
    colour_cast: 'colour_cast',
    face_size: 'face_too_small',
    head_pose: 'head_pose',
    occlusion: 'occluded',
  };
  const problems = (Object.keys(parts) as (keyof typeof parts)[])
    .filter((k) => parts[k] < PROBLEM_THRESHOLD)
    .map((k) => names[k]);
  return { scores: { ...parts, overall }, problems };
}
