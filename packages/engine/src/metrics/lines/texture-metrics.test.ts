import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import type { Engine } from '../../analyze.ts';
import { createEngine } from '../../analyze.ts';
import { FaceModels } from '../../face/face-models.ts';
import { NOT_ASSESSABLE_RESOLUTION } from '../../framework/runner.ts';
import { metricOf, payloadOf } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';
import { injectDarkPores, injectForeheadLines, locateFace, zoomFace } from '../../testing/inject-texture.ts';

let faces: FaceModels;
let engine: Engine;
before(async () => {
  faces = await FaceModels.load();
  engine = createEngine({ faces });
});

const photo = (name: string) => readFile(portraitPath(name));
const emotion = (s: 'a' | 'b', i: number) => `vladmandic__samples_in_stock-emotions-${s}-${i}.jpg`;

function strictlyDecreasing(values: number[]): boolean {
  return values.every((v, i) => i === 0 || v < values[i - 1]!);
}

describe('lines on real faces', () => {
  for (const name of [emotion('a', 1), 'ageitgey__examples_knn_examples_train_biden_biden2.jpg']) {
    it(`more forehead lines lower lines_score over five grades (${name})`, async () => {
      const bytes = await photo(name);
      const located = await locateFace(faces, bytes);
      const forehead: number[] = [];
      const face: number[] = [];
      for (let grade = 0; grade <= 4; grade++) {
        const injected = await injectForeheadLines(bytes, located, grade);
        const a = await engine.analyze(injected.bytes, { algorithms: ['lines'], restored: false });
        // The forehead's load (length per cm² × depth), not its integer score: past grade 2 the
        // forehead's score sits at 2-5, where a heavier load no longer changes the rounded score.
        forehead.push(
          -metricOf(a, 'lines', 'lines_length_density', 'forehead') *
            metricOf(a, 'lines', 'lines_depth', 'forehead'),
        );
        face.push(metricOf(a, 'lines', 'lines_score'));
      }
      assert.ok(strictlyDecreasing(forehead), `forehead −load by grade: ${forehead}`);
      assert.ok(strictlyDecreasing(face), `face lines_score by grade: ${face}`);
    });
  }

  it('frowning frames show more forehead and glabella lines than neutral ones', async () => {
    const load = async (name: string) => {
      const a = await engine.analyze(await photo(name), { algorithms: ['lines'], restored: false });
      return (
        metricOf(a, 'lines', 'lines_length_density', 'glabella') +
        metricOf(a, 'lines', 'lines_length_density', 'forehead')
      );
    };
    const frowning = await Promise.all(
      [emotion('a', 4), emotion('a', 5), emotion('b', 1), emotion('b', 2)].map(load),
    );
    const neutral = await Promise.all(
      [emotion('a', 1), emotion('a', 3), emotion('b', 7), emotion('b', 8)].map(load),
    );
    assert.ok(Math.min(...frowning) > Math.max(...neutral), `frowning ${frowning} vs neutral ${neutral}`);
  });

  it('gives a polyline mask, per-area not-assessable reasons and the AILab view', async () => {
    const a = await engine.analyze(await photo(emotion('a', 5)), { algorithms: ['lines'], restored: false });
    const p = payloadOf(a, 'lines');
    assert.equal(p.masks_original.mask_type, 'polyline_mask');
    assert.ok(p.masks_original.features.length > 0);
    assert.ok(p.masks_original.features.every((f) => f.geometry.type === 'LineString'));
    assert.ok(
      p.not_assessable_areas?.some((x) => x.area_name === 'left_eye_area'),
      'under-eye fine lines need 4 px/mm',
    );
    const ailab = p.raw?.ailab as Record<string, { value: number | null; confidence: number }>;
    for (const k of [
      'forehead_wrinkle',
      'crows_feet',
      'eye_finelines',
      'glabella_wrinkle',
      'nasolabial_fold',
    ])
      assert.ok(k in ailab, k);
    assert.equal(ailab.eye_finelines!.value, null);
  });
});

describe('resolution gates', () => {
  for (const name of ['ageitgey__examples_obama-240p.jpg', 'ageitgey__examples_obama-480p.jpg']) {
    it(`${name}: pores and lines are not assessable`, async () => {
      const a = await engine.analyze(await photo(name), {
        algorithms: ['lines', 'wrinkles', 'pores'],
        restored: false,
      });
      for (const tech of ['lines', 'wrinkles', 'pores']) {
        const r = a.results.find((x) => x.algorithm_tech_name === tech)!;
        assert.equal(r.is_ok, false, tech);
        assert.equal((r.result as { error: string }).error, NOT_ASSESSABLE_RESOLUTION);
      }
    });
  }

  it('a 1 MP studio portrait measures coarse lines but not fine lines or pores', async () => {
    const a = await engine.analyze(await photo(emotion('a', 3)), {
      algorithms: ['wrinkles', 'pores'],
      restored: false,
    });
    const w = payloadOf(a, 'wrinkles').area_results[0]!.sub_metrics.find(
      (m) => m.tech_name === 'fine_wrinkles_density',
    );
    assert.equal(w?.value, null);
    assert.equal(a.results.find((x) => x.algorithm_tech_name === 'pores')!.is_ok, false);
  });
});

describe('pores on a real face enlarged to 9 px/mm', () => {
  it('more injected pores lower pores_score over five grades', async () => {
    const bytes = await photo(emotion('a', 1));
    const zoomed = await zoomFace(bytes, await locateFace(faces, bytes), 9);
    const located = await locateFace(faces, zoomed);
    assert.ok(located.face.pxPerMm >= 8, `px/mm ${located.face.pxPerMm}`);
    const scores: number[] = [];
    const counts: number[] = [];
    const injectedCounts: number[] = [];
    for (let grade = 0; grade <= 4; grade++) {
      const injected = await injectDarkPores(zoomed, located, grade);
      const a = await engine.analyze(injected.bytes, { algorithms: ['pores'], restored: false });
      scores.push(metricOf(a, 'pores', 'pores_score'));
      counts.push(metricOf(a, 'pores', 'pores_number'));
      injectedCounts.push(injected.positions.length);
      if (grade === 4) {
        const f = payloadOf(a, 'pores').masks_original.features[0]!;
        const radii = f.properties.radii_mm as number[];
        assert.equal(f.geometry.type === 'MultiPoint' && f.geometry.coordinates.length, radii.length);
        assert.ok(
          radii.every((mm) => mm > 0.05 && mm < 1),
          'each pore has its radius in mm',
        );
      }
    }
    const added = counts[4]! - counts[0]!;
    assert.ok(
      added >= 0.7 * injectedCounts[4]!,
      `found ${added} more pores for ${injectedCounts[4]} injected`,
    );
    assert.ok(strictlyDecreasing(scores), `pores_score by grade: ${scores}`);
    assert.ok(
      counts.every((c, i) => i === 0 || c > counts[i - 1]!),
      `pores_number by grade: ${counts}`,
    );
  });
});
