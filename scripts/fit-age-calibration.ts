/**
 * Refits the perceived-age calibration (packages/engine/src/metrics/age/age-calibration.json):
 * runs the engine's `age` algorithm on ../shared/faces/fairface, takes the mean m of the upper
 * quartile of faceres's age distribution (`raw.model_upper_quartile_years`) and the age regressor's
 * estimate (`raw.regressor_age_years`), and fits `age = intercept + slope · m`, and the line on the
 * upper quartile alone (`faceresOnly`, for faces with an eye closed: `raw.regressor_used` false),
 * each on all the faces of the 'fit' half, by minimising
 * the mean distance to the labelled bin (the loss is flat inside a bin, so least squares to a bin
 * centre would be the wrong target) plus DECADE_BIAS_WEIGHT times the sum over the bins from 10-19 up
 * of their squared mean signed distance (a grid search over the unclamped line: a prediction below
 * 0 counts its whole distance, so the children's bins hold the slope). The distance alone pulls the line towards
 * the crowded middle and reads older faces years too young; the penalty keeps every decade's mean
 * error small. Prints raw vs calibrated figures on the held-out half, per bin, and writes them into
 * the JSON with the coefficients.
 *
 *   node --import tsx scripts/fit-age-calibration.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createEnginePool } from '../packages/engine/src/index.ts';
import {
  type AgeLines,
  calibrateAge,
  twoModelMean,
} from '../packages/engine/src/metrics/age/age-calibration.ts';
import { round } from '../packages/engine/src/result/result-shape.ts';
import {
  AGE_BINS,
  binDistance,
  type FairfaceItem,
  isAdultBin,
  readFairface,
  signedBinDistance,
} from './eval/fairface.ts';

const OUT = new URL('../packages/engine/src/metrics/age/age-calibration.json', import.meta.url);

interface Sample {
  item: FairfaceItem;
  /** Calibration input: the mean of faceres's upper quartile and the regressor's age, years. */
  raw: number;
  /** Upper quartile of faceres's distribution, years. */
  upperQuartile: number;
  /** The age regressor's estimate, years. */
  regressed: number;
  /** Whether the engine combines the regressor's estimate (both eyes open). */
  regressorUsed: boolean;
  /** faceres's own estimate (expected value), years. */
  expected: number;
}

async function rawAges(items: FairfaceItem[]): Promise<{ samples: Sample[]; missed: number }> {
  const pool = await createEnginePool({ workers: 2 });
  try {
    const found = await Promise.all(
      items.map(async (item) => {
        const a = await pool.analyze(await readFile(item.path), { algorithms: ['age'], restored: false });
        const r = a.results.find((x) => x.algorithm_tech_name === 'age');
        const raw = r && 'raw' in r.result ? r.result.raw : undefined;
        const q75 = raw?.model_upper_quartile_years as number | undefined;
        const expected = raw?.model_age_years as number | undefined;
        const regressed = raw?.regressor_age_years as number | undefined;
        const regressorUsed = raw?.regressor_used as boolean | undefined;
        if (
          q75 === undefined ||
          expected === undefined ||
          regressed === undefined ||
          regressorUsed === undefined
        )
          return null;
        return {
          item,
          raw: twoModelMean(q75, regressed),
          upperQuartile: q75,
          regressed,
          regressorUsed,
          expected,
        };
      }),
    );
    const samples = found.filter((s): s is Sample => s !== null);
    return { samples, missed: items.length - samples.length };
  } finally {
    await pool.close();
  }
}

/** Weight of the per-decade squared mean signed distance (years⁻¹) beside the mean distance (years). */
export const DECADE_BIAS_WEIGHT = 0.04;

/** Bins whose mean signed distance the fit keeps small (children under 10 change too fast for a decade). */
const DECADE_BINS = AGE_BINS.slice(2);

const distance = (samples: Sample[], f: (raw: number) => number) =>
  samples.reduce((s, x) => s + binDistance(f(x.raw), x.item), 0) / samples.length;

/** Mean signed distance to the bin of the samples of `bin`; undefined when there are none. */
function meanBias(samples: Sample[], bin: string, f: (raw: number) => number): number | undefined {
  const xs = samples.filter((s) => s.item.bin === bin);
  if (!xs.length) return undefined;
  return xs.reduce((s, x) => s + signedBinDistance(f(x.raw), x.item), 0) / xs.length;
}

function binBias(samples: Sample[], f: (raw: number) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const bin of AGE_BINS) {
    const bias = meanBias(samples, bin, f);
    if (bias !== undefined) out[bin] = round(bias, 2);
  }
  return out;
}

function loss(samples: Sample[], f: (raw: number) => number): number {
  let penalty = 0;
  for (const bin of DECADE_BINS) penalty += (meanBias(samples, bin, f) ?? 0) ** 2;
  return distance(samples, f) + DECADE_BIAS_WEIGHT * penalty;
}

/** Grid search of slope (0.6-2.0) and intercept (-40..30), then a finer pass around the best. */
export function fitLinear(samples: Sample[]): { intercept: number; slope: number } {
  let best = { l: Number.POSITIVE_INFINITY, intercept: 0, slope: 1 };
  const search = (s0: number, s1: number, ds: number, i0: number, i1: number, di: number) => {
    for (let slope = s0; slope <= s1 + 1e-9; slope += ds)
      for (let intercept = i0; intercept <= i1 + 1e-9; intercept += di) {
        const l = loss(samples, (r) => intercept + slope * r);
        if (l < best.l - 1e-12) best = { l, intercept, slope };
      }
  };
  search(0.6, 2.0, 0.02, -40, 30, 0.5);
  search(best.slope - 0.02, best.slope + 0.02, 0.002, best.intercept - 0.5, best.intercept + 0.5, 0.05);
  return { intercept: round(best.intercept, 3), slope: round(best.slope, 4) };
}

/** Held-out figures of the samples' `raw` ages, years. */
function summary(samples: Sample[]) {
  const f = (raw: number) => raw;
  const adult = samples.filter((s) => isAdultBin(s.item.bin));
  const inside = (xs: Sample[]) => xs.filter((s) => binDistance(f(s.raw), s.item) === 0).length / xs.length;
  return {
    n: samples.length,
    mae_to_bin_all: round(distance(samples, f), 2),
    inside_all: round(inside(samples), 3),
    n_20_69: adult.length,
    mae_to_bin_20_69: round(distance(adult, f), 2),
    inside_20_69: round(inside(adult), 3),
    bias_by_bin: binBias(samples, f),
  };
}

async function main(): Promise<void> {
  const items = await readFairface();
  const { samples, missed } = await rawAges(items);
  const fit = samples.filter((s) => s.item.split === 'fit');
  const test = samples.filter((s) => s.item.split === 'test');
  const byUpperQuartile = (xs: Sample[]) => xs.map((s) => ({ ...s, raw: s.upperQuartile }));
  const { intercept, slope } = fitLinear(fit);
  const faceresOnly = fitLinear(byUpperQuartile(fit));
  const reverse = fitLinear(test);
  const reverseFaceresOnly = fitLinear(byUpperQuartile(test));
  /** The samples with `raw` set to the engine's calibrated age under the given lines. */
  const calibrated = (xs: Sample[], lines: AgeLines) =>
    xs.map((s) => ({
      ...s,
      raw: calibrateAge(s.upperQuartile, s.regressorUsed ? s.regressed : null, lines),
    }));
  const lines = { intercept, slope, faceresOnly, min: 1, max: 95 };
  const reverseLines = { ...reverse, faceresOnly: reverseFaceresOnly, min: 1, max: 95 };
  const result = {
    method: 'linear-on-two-model-mean-bin-distance-decade-bias' as const,
    ...lines,
    fit: {
      script: 'scripts/fit-age-calibration.ts',
      data: 'fairface sample of ../shared/faces (198 photos, CC BY 4.0), stratified halves (scripts/eval/fairface.ts)',
      no_face_detected: missed,
      fitted_on: 'fit half',
      decade_bias_weight: DECADE_BIAS_WEIGHT,
      test_faces_without_regressor: test.filter((s) => !s.regressorUsed).length,
      test_raw_expected_value: summary(test.map((s) => ({ ...s, raw: s.expected }))),
      test_raw_upper_quartile: summary(byUpperQuartile(test)),
      test_raw_regressor: summary(test.map((s) => ({ ...s, raw: s.regressed }))),
      test_raw_two_model_mean: summary(test),
      test_calibrated: summary(calibrated(test, lines)),
      reverse_fold: {
        ...reverseLines,
        fit_half_calibrated: summary(calibrated(fit, reverseLines)),
      },
    },
  };
  await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
}

await main();
