import { readFileSync } from 'node:fs';

/**
 * The calibration applied on top of faceres (face/age-model.ts): a straight line
 * `age = intercept + slope · q75`, where q75 is the upper quartile of faceres's age distribution
 * averaged over the test-time views, clamped to [min, max] years. Fitted by
 * `scripts/fit-age-calibration.ts` on the training half of ../shared/faces/fairface (stratified by
 * apparent-age bin and gender) by minimising the mean distance to the labelled bin (0 inside it) plus a
 * penalty on each decade's squared mean signed distance, so that no decade reads systematically young
 * or old; the held-out half's figures, per bin, are stored beside the coefficients in
 * age-calibration.json.
 */
export interface AgeCalibration {
  method: 'linear-bin-distance-decade-bias';
  intercept: number;
  slope: number;
  min: number;
  max: number;
  /** How the coefficients were obtained, and the held-out figures (for people, not for the engine). */
  fit: Record<string, unknown>;
}

/** The shipped calibration (parsed once; immutable). */
export const AGE_CALIBRATION: Readonly<AgeCalibration> = Object.freeze(
  JSON.parse(readFileSync(new URL('./age-calibration.json', import.meta.url), 'utf8')) as AgeCalibration,
);

/** Calibrated perceived age in years from the upper quartile of faceres's (view-averaged) age distribution. */
export function calibrateAge(raw: number, calibration: AgeCalibration = AGE_CALIBRATION): number {
  const age = calibration.intercept + calibration.slope * raw;
  return Math.min(calibration.max, Math.max(calibration.min, age));
}
