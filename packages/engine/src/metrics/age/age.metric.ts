import type { MetricModule } from '../../framework/metric.ts';
import { metricValue, round } from '../../result/result-shape.ts';
import { ageInput } from './age.input.ts';

/**
 * `age` (family `selfie_v2.age`; AILab `skin_age`): perceived (apparent) age in years.
 * faceres (HSE-FaceRes in @vladmandic/human) on an aligned, upright crop of the face (BGR input;
 * face/age-model.ts) and face-api's age regressor on its own crop and mirror
 * (face/age-regressor.ts); the mean of faceres's upper quartile and the regressor's age, mapped by
 * a linear calibration fitted on half of fairface (age-calibration.ts); with an eye closed or
 * squeezed, faceres alone through its own line (`regressor_used` false). Held-out figures:
 * age/README.md. `raw` holds faceres's own estimate (expected value, `model_age_years`), the two
 * calibration inputs and faceres's per-view ages (one view).
 */
export const ageMetric: MetricModule = {
  techName: 'age',
  familyTechName: 'selfie_v2.age',
  version: '1.2.0',
  name: 'Perceived Age',
  description:
    'Perceived (apparent) age in years: faceres and a face-api age regressor, combined by a fairface calibration.',
  needs: [ageInput.id],
  areas: ['face'],
  outputs: { main: 'age', sub: [], maskType: 'none' },
  minPxPerMm: 0,
  compute(ctx) {
    const age = ctx.input(ageInput);
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: metricValue('age', 'Perceived Age', Math.round(age.years), 'years'),
          sub_metrics: [],
        },
      ],
      raw: {
        age_years: round(age.years, 1),
        model_age_years: round(age.rawYears, 1),
        model_upper_quartile_years: round(age.upperQuartileYears, 1),
        regressor_age_years: round(age.regressorYears, 1),
        regressor_used: age.regressorUsed,
        view_ages_years: age.viewYears.map((v) => round(v, 1)),
      },
    };
  },
};
