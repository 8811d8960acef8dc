import type { NotAssessableReason } from '../../result/result-shape.ts';
import { round } from '../../result/result-shape.ts';
import { type AreaLines, FACE_SCORE_AREAS, type LinesMeasurement } from './lines.input.ts';
import type { SaggingGeometry } from './sagging-geometry.ts';

/**
 * Calibration of the line and sagging scores: one documented monotonic mapping each, set once on the
 * shared portraits (`node --import tsx scripts/calibrate-texture.ts`), never per photo.
 *
 * Lines: raw = line load (Σ length·depth / skin area, mm·L* per cm²). score = 100 / (1 + (load/L50)^P).
 * L50 is the 90th percentile of the loads of the face-score areas (forehead and glabella, each on its
 * own) over the 29 shared portraits that pass the 1.25 px/mm gate (scripts/calibrate-texture.ts:
 * median 0, 90th percentile 8.8), so an area lined like the top tenth scores 50; the face load (their
 * area-weighted mean) has median 0.4 (score 95) and 90th percentile 4.4 (score 67). P = 1 keeps
 * heavily lined areas (loads 50-200) apart instead of all at 0.
 */
export const LINES_L50 = 8.8;
export const LINES_P = 1;

export function linesScoreOf(load: number): number {
  return 100 / (1 + (Math.max(0, load) / LINES_L50) ** LINES_P);
}

/** Face-level load: the skin-area-weighted mean of the loads of the assessed face-score areas. */
export function faceLoad(areas: readonly AreaLines[]): number {
  let weighted = 0;
  let area = 0;
  for (const a of areas) {
    if (!a.assessed || !FACE_SCORE_AREAS.has(a.area)) continue;
    weighted += a.load * a.areaCm2;
    area += a.areaCm2;
  }
  return area > 0 ? weighted / area : 0;
}

/**
 * Sagging raw (dimensionless, 0 = none), three terms of research §14:
 * - mouth-corner droop beyond the population's neutral median (−5°: corners usually sit a little
 *   above the slit centre), per 20°;
 * - jaw-contour irregularity beyond 1% IPD (the median of frontal shared portraits), per 10%;
 * - nasolabial fold load per 100 mm·L* per cm².
 * score = 100·exp(−raw); jowls grade 1-4 by score bands (≥ 75, ≥ 55, ≥ 35, below).
 */
export const SAGGING_NEUTRAL_DROOP_DEG = -5;
export const SAGGING_NEUTRAL_JAW = 1;

export function saggingRaw(geometry: SaggingGeometry, nasolabialLoad: number): number {
  return (
    Math.max(0, geometry.mouthDroopDeg - SAGGING_NEUTRAL_DROOP_DEG) / 20 +
    Math.max(0, geometry.jawIrregularity - SAGGING_NEUTRAL_JAW) / 10 +
    Math.max(0, nasolabialLoad) / 100
  );
}

export function saggingScoreOf(raw: number): number {
  return 100 * Math.exp(-raw);
}

export function jowlsGradeOf(score: number): 1 | 2 | 3 | 4 {
  if (score >= 75) return 1;
  if (score >= 55) return 2;
  if (score >= 35) return 3;
  return 4;
}

export type Sagging =
  | { score: number; jowls: 1 | 2 | 3 | 4; raw: number; notAssessable?: undefined }
  | { notAssessable: NotAssessableReason };

/**
 * Sagging score of a measurement; not assessable when the head pose does not allow it (`pose`) or
 * when neither nasolabial fold was assessed (the reason of the folds): a hidden fold is not "no fold".
 */
export function saggingOf(m: LinesMeasurement): Sagging {
  if (!m.sagging.poseOk) return { notAssessable: 'pose' };
  const nasolabial = m.areas.filter((a) => a.area.startsWith('nasolabial'));
  const folds = nasolabial.filter((a) => a.assessed);
  if (!folds.length) return { notAssessable: nasolabial[0]?.reason ?? 'occluded' };
  const load = folds.reduce((s, a) => s + a.load, 0) / folds.length;
  const raw = saggingRaw(m.sagging, load);
  const score = saggingScoreOf(raw);
  return { score, jowls: jowlsGradeOf(score), raw };
}

/**
 * AILab presence flag of a line kind: present when the area's load reaches `LINES_PRESENT_LOAD`
 * (= L50, score 50); confidence grows with the distance from that threshold (logistic, scale 3).
 */
export const LINES_PRESENT_LOAD = LINES_L50;

export function presence(load: number): { value: 0 | 1; confidence: number } {
  const p = 1 / (1 + Math.exp(-(load - LINES_PRESENT_LOAD) / 3));
  const value = p >= 0.5 ? 1 : 0;
  return { value, confidence: round(value ? p : 1 - p, 2) };
}
