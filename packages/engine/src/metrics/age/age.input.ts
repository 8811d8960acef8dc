import type { InputProvider } from '../../framework/metric.ts';
import { eyeOpenness, MIN_EYE_OPENNESS } from '../../geometry/eye-openness.ts';
import { calibrateAge } from './age-calibration.ts';

/**
 * Id of the age input; a metric that needs it (directly or through another input) makes the
 * analysis run the age model, and runs after the metrics that do not need it.
 */
export const AGE_INPUT_ID = 'age';

/** Perceived age of the analysed face. */
export interface AgeEstimate {
  /** Calibrated perceived age, years (age-calibration.ts). */
  years: number;
  /** faceres's own estimate before calibration (expected value of its distribution, mean over the views), years. */
  rawYears: number;
  /** Upper quartile of faceres's mean distribution, years: the calibration's first input. */
  upperQuartileYears: number;
  /** The age regressor's estimate (mean over its views), years: the calibration's second input. */
  regressorYears: number;
  /**
   * Whether the regressor's estimate went into `years`: both eyes open (openness ≥ MIN_EYE_OPENNESS,
   * geometry/eye-openness.ts). The regressor reads squeezed eyes as age; without it, faceres alone.
   */
  regressorUsed: boolean;
  /** Raw age per test-time view, years. */
  viewYears: number[];
}

/**
 * The shared age input: the age model's output (started by analyze.ts once the face is found, and
 * awaited before the metrics that need it, because the model is asynchronous) with the calibration
 * applied.
 */
export const ageInput: InputProvider<AgeEstimate> = {
  id: AGE_INPUT_ID,
  needs: [],
  compute(ctx) {
    const out = ctx.models?.age;
    if (!out) throw new Error('the age model did not run for this image');
    const regressorUsed =
      Math.min(eyeOpenness(ctx.face, 'left'), eyeOpenness(ctx.face, 'right')) >= MIN_EYE_OPENNESS;
    return {
      years: calibrateAge(out.upperQuartile, regressorUsed ? out.regressedAge : null),
      rawYears: out.age,
      upperQuartileYears: out.upperQuartile,
      regressorYears: out.regressedAge,
      regressorUsed,
      viewYears: out.viewAges,
    };
  },
};
