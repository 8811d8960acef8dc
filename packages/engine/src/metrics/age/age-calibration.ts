import { readFileSync } from 'node:fs';

/**
 * The calibration of the two age networks (face/age-model.ts): a straight line
 * `age = intercept + slope · m` on their mean `m = (q75 + regressed) / 2`, where q75 is the upper
 * quartile of faceres's age distribution averaged over its views and `regressed` is the age
 * regressor's estimate averaged over its views (face/age-regressor.ts), clamped to [min, max]
 * years. faceres ranks apparent age well but compresses it towards the 30s; the regressor, trained
 * on real ages, errs differently, and their mean is closer than either. The regressor reads the
 * wrinkles of squeezed eyes as age, so with an eye closed or squeezed (age.input.ts) the age comes
 * from faceres alone, through its own line `faceresOnly`. Both lines are fitted by
 * `scripts/fit-age-calibration.ts` on the training half of ../shared/faces/fairface (stratified by
 * apparent-age bin and gender) by minimising the mean distance to the labelled bin (0 inside it) plus a
 * penalty on each decade's squared mean signed distance, so that no decade reads systematically young
 * or old; the held-out half's figures, per bin, are stored beside the coefficients in
 * age-calibration.json.
 */
export interface AgeCalibration {
  method: 'linear-on-two-model-mean-bin-distance-decade-bias';
  /** Years. */
  intercept: number;
  /** Years per year of the two networks' mean. */
  slope: number;
  /** The line on faceres's upper quartile alone (years, years per year), for faces without the regressor. */
  faceresOnly: { intercept: number; slope: number };
  min: number;
  max: number;
  /** How the coefficients were obtained, and the held-out figures (for people, not for the engine). */
  fit: Record<string, unknown>;
}

/** The calibration's coefficients and clamp, without its provenance. */
export type AgeLines = Omit<AgeCalibration, 'method' | 'fit'>;

/** The shipped calibration (parsed once; immutable). */
export const AGE_CALIBRATION: Readonly<AgeCalibration> = Object.freeze(
  JSON.parse(readFileSync(new URL('./age-calibration.json', import.meta.url), 'utf8')) as AgeCalibration,
);

/** The calibration's input, years: the mean of faceres's upper quartile and the regressor's age, both in years. */
export function twoModelMean(upperQuartile: number, regressed: number): number {
  return (upperQuartile + regressed) / 2;
}

/**
 * Calibrated perceived age in years from the upper quartile of faceres's (view-averaged) age
 * distribution and the regressor's (view-averaged) age, both in years; `regressed` null: faceres
 * alone (the `faceresOnly` line).
 */
export function calibrateAge(
  upperQuartile: number,
  regressed: number | null,
  calibration: AgeLines = AGE_CALIBRATION,
): number {
  const age =
    regressed === null
      ? calibration.faceresOnly.intercept + calibration.faceresOnly.slope * upperQuartile
      : calibration.intercept + calibration.slope * twoModelMean(upperQuartile, regressed);
  return Math.min(calibration.max, Math.max(calibration.min, age));
}
