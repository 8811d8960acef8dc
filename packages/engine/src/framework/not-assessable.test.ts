import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { faceDetectorMetric } from '../metrics/detection/face-detector.metric.ts';
import { ailabEyePouch } from '../metrics/eye-area/eye-bags.ts';
import type { AreaLines, LinesMeasurement } from '../metrics/lines/lines.input.ts';
import { ailabLines, linesOutput } from '../metrics/lines/lines.metric.ts';
import { saggingOf } from '../metrics/lines/lines-scores.ts';
import { wrinklesMetric } from '../metrics/lines/wrinkles.metric.ts';
import type { ShineMeasurement, ZoneShine } from '../metrics/shine/shine.input.ts';
import { classifySkinType } from '../metrics/shine/skin-type.metric.ts';
import { isAlgorithmPayload, numberValue, round, scoreValue } from '../result/result-shape.ts';
import { evenImage, syntheticContext } from '../testing/synthetic-context.ts';
import type { MetricContext, MetricModule } from './metric.ts';
import { MetricRegistry } from './registry.ts';
import { startRun } from './runner.ts';

/** Each finding of issue 18: a value reported where nothing was measured. */

const zone = (index: number): ZoneShine => ({ specularShare: index, excess: 1, index, pixels: 1000 });
const shine = (t: ZoneShine | null, u: ZoneShine | null, roughness: number | null): ShineMeasurement => ({
  tZone: t,
  uZone: u,
  face: t ?? u,
  roughness,
  specular: new Float32Array(0),
  width: 0,
  height: 0,
  specularFeatures: () => [],
});

function area(name: AreaLines['area'], assessed: boolean, load = 0): AreaLines {
  return {
    area: name,
    assessed,
    ...(assessed ? {} : { reason: 'occluded' as const }),
    lines: [],
    areaCm2: assessed ? 10 : 0,
    count: 0,
    lengthMm: 0,
    lengthDensity: 0,
    meanDepth: 0,
    load,
    fineLengthDensity: 0,
    deepLengthDensity: 0,
  };
}

function lines(areas: AreaLines[]): LinesMeasurement {
  return {
    pxPerMm: 3,
    areas,
    fineAssessable: false,
    sagging: { poseOk: true, mouthDroopDeg: -5, jawIrregularity: 1 } as LinesMeasurement['sagging'],
  };
}

/** A context whose only shared input is the given lines measurement. */
function linesContext(m: LinesMeasurement): MetricContext {
  return { ...syntheticContext(evenImage(40, 40, [200, 160, 140]), 3), input: <T>() => m as T };
}

describe('not assessable, never a stand-in', () => {
  it('skin_type: a matte zone without measured roughness has no type (was "normal" from a fixed 0.3)', () => {
    const c = classifySkinType(shine(zone(0), zone(0), null), 1);
    assert.equal(c.type, null);
    assert.equal(c.reason, 'resolution');
    assert.equal(c.ailab.details['1']!.confidence, null);
    // A shiny zone is told apart without roughness: not dry either way.
    assert.equal(classifySkinType(shine(zone(80), zone(80), null), 1).type, 'oily');
    assert.equal(classifySkinType(shine(zone(0), zone(0), 0.5), 3).type, 'normal');
  });

  it('skin_type: a hidden zone has no type and no shine (was shine 0, "matte")', () => {
    const c = classifySkinType(shine(zone(10), null, 0.7), 3);
    assert.equal(c.uType, null);
    assert.equal(c.type, null);
    assert.equal(c.reason, 'occluded');
  });

  it('sagging: hidden nasolabial folds are not "no folds"', () => {
    const m = lines([area('nasolabial_left', false), area('nasolabial_right', false)]);
    assert.deepEqual(saggingOf(m), { notAssessable: 'occluded' });
    const face = linesOutput(m).area_results[0]!;
    const sagging = face.sub_metrics.find((s) => s.tech_name === 'sagging_score')!;
    assert.equal(sagging.value, null);
    assert.equal(sagging.widget_meta?.reason, 'occluded');
    assert.ok(!('notAssessable' in saggingOf(lines([area('nasolabial_left', true, 3)]))));
  });

  it('lines and wrinkles: no area assessed gives null counts and densities, not 0', () => {
    const m = lines([area('forehead', false), area('glabella', false)]);
    const face = linesOutput(m).area_results[0]!;
    for (const v of [face.main_metric, ...face.sub_metrics.slice(0, 3)])
      assert.equal(v.value, null, v.tech_name);
    const w = wrinklesMetric.compute(linesContext(m)).area_results[0]!;
    for (const v of [w.main_metric, ...w.sub_metrics]) assert.equal(v.value, null, v.tech_name);
  });

  it('constant confidences are gone: fold severity and eye-pouch severity have none', () => {
    const m = lines([area('nasolabial_left', true, 40), area('nasolabial_right', true, 40)]);
    assert.deepEqual(ailabLines(m).nasolabial_fold_severity, { value: 2, confidence: null });
    assert.equal(ailabEyePouch(10).eye_pouch_severity.confidence, null);
  });

  it('value builders: null with a reason, never a number for a missing or non-finite measurement', () => {
    assert.deepEqual(scoreValue('s', 'S', null, 'occluded').widget_meta, { reason: 'occluded' });
    assert.equal(scoreValue('s', 'S', Number.NaN, 'resolution').value, null);
    assert.equal(numberValue('n', 'N', null, { reason: 'eye_closed' }).value, null);
    assert.equal(numberValue('n', 'N', 1.234).value, 1.23);
    // An amount of 0 stays a plain number, not a "Bad" score (acne density and intensity).
    assert.equal(numberValue('density_score', 'Density', 0, { digits: 0 }).widget_meta, null);
    assert.equal(round(2.345, 1), 2.3);
  });

  it('the runner isolates a throwing metric: one failed algorithm, the others fine', () => {
    const broken: MetricModule = {
      ...faceDetectorMetric,
      techName: 'broken',
      compute: () => {
        throw new Error('boom');
      },
    };
    const registry = new MetricRegistry([broken, faceDetectorMetric], []);
    const ctx = syntheticContext(evenImage(40, 40, [200, 160, 140]), 3);
    const run = startRun(registry, ctx);
    run.run(registry.metrics);
    run.release();
    const { results } = run;
    const [failed, fine] = results;
    assert.equal(failed!.is_ok, false);
    assert.ok(!isAlgorithmPayload(failed!.result));
    assert.equal(failed!.result.error_code, 'algorithm_failed');
    assert.deepEqual(failed!.result.details, { reason: 'failed', message: 'boom' });
    assert.equal(fine!.is_ok, true);
  });
});
