import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { createEngine } from '../analyze.ts';
import { FaceModels } from '../face/face-models.ts';
import { faceDetectorMetric } from '../metrics/detection/face-detector.metric.ts';
import { metricValue } from '../result/result-shape.ts';
import { portraitPath } from '../testing/faces.ts';
import type { InputProvider, MetricModule } from './metric.ts';
import { MetricRegistry } from './registry.ts';

function metric(
  techName: string,
  needs: string[],
  compute: MetricModule['compute'],
  minPxPerMm = 0,
): MetricModule {
  return {
    techName,
    familyTechName: `selfie_v2.${techName}`,
    version: '0.0.1',
    name: techName,
    description: 'test metric',
    needs,
    areas: ['face'],
    outputs: { main: 'value', sub: [], maskType: 'none' },
    minPxPerMm,
    compute,
  };
}

const constant = (value: number) => () => ({
  area_results: [{ area_name: 'face', main_metric: metricValue('value', 'Value', value), sub_metrics: [] }],
});

let faces: FaceModels;
before(async () => {
  faces = await FaceModels.load();
});

describe('MetricRegistry', () => {
  it('refuses duplicate metric ids and unmet needs', () => {
    assert.throws(
      () => new MetricRegistry([metric('a', [], constant(1)), metric('a', [], constant(2))], []),
      /duplicate metric id: a/,
    );
    assert.throws(
      () => new MetricRegistry([metric('a', ['lab'], constant(1))], []),
      /needs unknown input lab/,
    );
    const p: InputProvider<number> = { id: 'x', needs: ['y'], compute: () => 1 };
    assert.throws(() => new MetricRegistry([], [p]), /input x needs unknown input y/);
  });

  it('computes a shared input once for every metric that needs it', async () => {
    let calls = 0;
    const shared: InputProvider<number> = {
      id: 'shared',
      needs: [],
      compute: (ctx) => {
        calls++;
        return ctx.face.ipdPx;
      },
    };
    const reader = (name: string) => metric(name, ['shared'], (ctx) => constant(ctx.input(shared))());
    const registry = new MetricRegistry([faceDetectorMetric, reader('one'), reader('two')], [shared]);
    const engine = createEngine({ faces, registry });
    const a = await engine.analyze(await readFile(portraitPath('ageitgey__examples_obama-720p.jpg')));
    assert.equal(calls, 1);
    assert.ok(a.results.every((r) => r.is_ok));
  });

  it('refuses an input a metric did not declare', async () => {
    const shared: InputProvider<number> = { id: 'shared', needs: [], compute: () => 1 };
    const sneaky = metric('sneaky', [], (ctx) => constant(ctx.input(shared))());
    const engine = createEngine({
      faces,
      registry: new MetricRegistry([faceDetectorMetric, sneaky], [shared]),
    });
    // The runner isolates it: the metric fails with the reason, the face detector still answers.
    const a = await engine.analyze(await readFile(portraitPath('ageitgey__examples_obama-720p.jpg')));
    const r = a.results.find((x) => x.algorithm_tech_name === 'sneaky')!;
    assert.equal(r.is_ok, false);
    const failure = r.result as unknown as { error_code: string; details: { message: string } };
    assert.equal(failure.error_code, 'algorithm_failed');
    assert.match(failure.details.message, /without being declared/);
    assert.equal(a.results.find((x) => x.algorithm_tech_name === 'face_detector')!.is_ok, true);
  });

  it('answers "not assessable at this resolution" below a metric\'s minimum scale', async () => {
    const fine = metric('fine', [], constant(1), 5);
    const engine = createEngine({ faces, registry: new MetricRegistry([faceDetectorMetric, fine], []) });
    const a = await engine.analyze(await readFile(portraitPath('ageitgey__examples_obama-240p.jpg')));
    const r = a.results.find((x) => x.algorithm_tech_name === 'fine')!;
    assert.equal(r.is_ok, false);
    const failure = r.result as { error: string; error_code: string; details: Record<string, unknown> };
    assert.equal(failure.error, 'Not assessable at this resolution');
    assert.equal(failure.error_code, 'not_assessable_resolution');
    assert.equal(failure.details.required_px_per_mm, 5);
    assert.ok((failure.details.px_per_mm as number) < 1);
  });
});
