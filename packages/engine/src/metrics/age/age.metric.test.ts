import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createEngine, type Engine } from '../../analyze.ts';
import { AgeModel, DEFAULT_AGE_VIEWS, quantileOfBins } from '../../face/age-model.ts';
import { FaceModels } from '../../face/face-models.ts';
import { metricOf, payloadOf } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';
import { AGE_CALIBRATION, calibrateAge } from './age-calibration.ts';

let engine: Engine;
before(async () => {
  const faces = await FaceModels.load();
  engine = createEngine({ faces, age: await AgeModel.load() });
});

const AGE = { algorithms: ['age'], restored: false } as const;

describe('age', () => {
  it('gives a plausible perceived age with the raw values of both networks and the per-view ages', async () => {
    const a = await engine.analyze(await readFile(portraitPath('ageitgey__examples_biden.jpg')), AGE);
    const age = metricOf(a, 'age', 'age');
    assert.ok(age > 45 && age < 90, `Biden, about 66 in the photo: ${age}`);
    const raw = payloadOf(a, 'age').raw as {
      model_upper_quartile_years: number;
      regressor_age_years: number;
      regressor_used: boolean;
      view_ages_years: number[];
    };
    assert.equal(raw.view_ages_years.length, DEFAULT_AGE_VIEWS.length);
    assert.ok(
      raw.regressor_age_years > 40 && raw.regressor_age_years < 95,
      `regressor: ${raw.regressor_age_years}`,
    );
    assert.equal(raw.regressor_used, true);
    assert.ok(Math.abs(calibrateAge(raw.model_upper_quartile_years, raw.regressor_age_years) - age) <= 0.6);
    assert.ok(a.timings.age_model !== undefined);
  });

  it('leaves the regressor out when an eye is squeezed shut, and ages by faceres alone', async () => {
    const a = await engine.analyze(
      await readFile(portraitPath('vladmandic__samples_in_stock-emotions-b-1.jpg')),
      AGE,
    );
    const raw = payloadOf(a, 'age').raw as { model_upper_quartile_years: number; regressor_used: boolean };
    assert.equal(raw.regressor_used, false);
    assert.ok(
      Math.abs(calibrateAge(raw.model_upper_quartile_years, null) - metricOf(a, 'age', 'age')) <= 0.6,
    );
  });

  it('does not run the age model when no selected metric needs it', async () => {
    const a = await engine.analyze(await readFile(portraitPath('ageitgey__examples_obama.jpg')), {
      algorithms: ['quality'],
      restored: false,
    });
    assert.equal(a.timings.age_model, undefined);
    assert.ok(!a.results.some((r) => r.algorithm_tech_name === 'age'));
  });

  it('is nearly unchanged by mirroring the photo (one view; on fairface the mirror moves it 1.4 years at the median)', async () => {
    const bytes = await readFile(portraitPath('vladmandic__samples_in_stock-emotions-a-1.jpg'));
    const mirrored = await sharp(bytes).flop().jpeg({ quality: 95 }).toBuffer();
    const a = metricOf(await engine.analyze(bytes, AGE), 'age', 'age');
    const b = metricOf(await engine.analyze(mirrored, AGE), 'age', 'age');
    assert.ok(Math.abs(a - b) <= 2, `${a} vs ${b}`);
  });

  it('reads quantiles of the 1-year age bins', () => {
    const p = new Float32Array(100);
    p[30] = 0.5;
    p[40] = 0.5;
    assert.ok(Math.abs(quantileOfBins(p, 0.25) - 30.5) < 1e-6);
    assert.ok(Math.abs(quantileOfBins(p, 0.75) - 40.5) < 1e-6);
  });

  it('calibrates monotonically and within the clamp', () => {
    assert.ok(AGE_CALIBRATION.slope > 0);
    assert.ok(calibrateAge(30, 30) < calibrateAge(40, 30));
    assert.ok(calibrateAge(30, 30) < calibrateAge(30, 40));
    assert.equal(calibrateAge(-100, -100), AGE_CALIBRATION.min);
    assert.equal(calibrateAge(500, 500), AGE_CALIBRATION.max);
    assert.ok(AGE_CALIBRATION.faceresOnly.slope > 0);
    assert.ok(calibrateAge(30, null) < calibrateAge(40, null));
    assert.equal(calibrateAge(500, null), AGE_CALIBRATION.max);
  });
});
