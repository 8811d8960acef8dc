import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import type { Analysis } from '../../analysis.ts';
import type { Engine } from '../../analyze.ts';
import { createEngine } from '../../analyze.ts';
import { OVEREXPOSED_CLIPPED_FRACTION } from '../../colour/colour-maps.input.ts';
import { FaceModels } from '../../face/face-models.ts';
import { quantileOf } from '../../image/filters.ts';
import type { RgbImage } from '../../image/rgb-image.ts';
import { metricOf, payloadOf } from '../../testing/engine-fixture.ts';
import { portraitPath } from '../../testing/faces.ts';
import {
  encodePng,
  type FaceLayout,
  type InjectionKind,
  injectColour,
  locateFace,
} from '../../testing/inject-colour.ts';
import { medianCountingClipped } from './translucency.metric.ts';

/**
 * Real faces with content injected by the test itself (testing/inject-colour.ts): each score must
 * move the right way, monotonically, over grades 0-4.
 */
const PHOTO = 'vladmandic__samples_in_stock-emotions-a-8.jpg';
const COLOUR = ['skin_tone', 'redness', 'uniformness', 'pigmentation', 'eye_area_condition', 'translucency'];

let engine: Engine;
let face: { image: RgbImage; layout: FaceLayout };
const analyses = new Map<string, Analysis>();

before(async () => {
  const models = await FaceModels.load();
  engine = createEngine({ faces: models });
  face = await locateFace(models, await readFile(portraitPath(PHOTO)));
});

async function graded(kind: InjectionKind, grade: number): Promise<Analysis> {
  const key = `${kind}:${grade}`;
  let a = analyses.get(key);
  if (!a) {
    const injected = injectColour(kind, face.image, face.layout, grade);
    a = await engine.analyze(await encodePng(injected.image), { algorithms: COLOUR, restored: false });
    analyses.set(key, a);
  }
  return a;
}

async function series(kind: InjectionKind, alg: string, metric: string, area = 'face'): Promise<number[]> {
  const out: number[] = [];
  for (let g = 0; g <= 4; g++) out.push(metricOf(await graded(kind, g), alg, metric, area));
  return out;
}

/** Non-increasing over all grades, strictly decreasing over at least four of them, and a real drop. */
function assertFalls(values: number[], minDrop: number, label: string): void {
  for (let g = 1; g < values.length; g++)
    assert.ok(values[g]! <= values[g - 1]!, `${label} by grade: ${values}`);
  let strict = 0;
  for (let g = 1; g < values.length; g++) if (values[g]! < values[g - 1]!) strict++;
  assert.ok(strict >= 3, `${label} falls at four grades: ${values}`);
  assert.ok(values[0]! - values[4]! >= minDrop, `${label} drops by ${minDrop}: ${values}`);
}

describe('colour metrics on a real face with injected content', () => {
  it('darker spots lower the pigmentation score and are found where injected', async () => {
    assertFalls(await series('dark_spots', 'pigmentation', 'pigmentation_score'), 10, 'pigmentation');
    const counts = await series('dark_spots', 'pigmentation', 'number_of_regions');
    for (let g = 1; g < counts.length; g++)
      assert.ok(counts[g]! > counts[g - 1]!, `spot count by grade: ${counts}`);
    const injected = injectColour('dark_spots', face.image, face.layout, 4).spots!;
    const found = payloadOf(await graded('dark_spots', 4), 'pigmentation').masks_original.features.map(
      (f) => {
        const ring = (f.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
        return [
          ring.reduce((s, p) => s + p[0], 0) / ring.length,
          ring.reduce((s, p) => s + p[1], 0) / ring.length,
        ];
      },
    );
    const hit = injected.filter((s) =>
      found.some(([x, y]) => Math.hypot(x! - s.x, y! - s.y) < s.radiusPx + 3),
    );
    assert.ok(hit.length >= 0.9 * injected.length, `recall ${hit.length}/${injected.length}`);
  });

  it('diffuse redness lowers the redness scores of the cheeks and the face', async () => {
    assertFalls(
      await series('redness', 'redness', 'redness_global_score', 'left_cheek'),
      8,
      'left cheek global redness',
    );
    assertFalls(await series('redness', 'redness', 'redness_score', 'right_cheek'), 8, 'right cheek redness');
    assertFalls(await series('redness', 'redness', 'redness_score'), 4, 'face redness');
  });

  it('a darker skin tone alone does not read as red', async () => {
    const redness = await series('tone_shift', 'redness', 'redness_score');
    const ita = await series('tone_shift', 'skin_tone', 'ita');
    for (let g = 1; g < ita.length; g++) assert.ok(ita[g]! < ita[g - 1]!, `ITA falls with melanin: ${ita}`);
    for (const r of redness) assert.ok(r >= redness[0]! - 2, `redness score with a darker tone: ${redness}`);
  });

  it('a darker under-eye lowers the dark-circle score', async () => {
    assertFalls(await series('under_eye', 'eye_area_condition', 'dark_circles_score'), 10, 'dark circles');
    const types = payloadOf(await graded('under_eye', 4), 'eye_area_condition').area_results.map(
      (a) => a.sub_metrics.find((m) => m.tech_name === 'dark_circle_type')?.value,
    );
    for (const t of types) assert.notEqual(t, 'none');
  });

  it('blotches lower uniformness', async () => {
    const cheek = await series('blotches', 'uniformness', 'uniformness_score', 'left_cheek');
    assertFalls(cheek, 8, 'left cheek uniformness');
    const faceScores = await series('blotches', 'uniformness', 'uniformness_score');
    assert.ok(faceScores[4]! < faceScores[0]!, `face uniformness: ${faceScores}`);
  });

  it('translucency counts clipped skin as the brightest; it and hydration answer "overexposed" when too much clips', async () => {
    const sample = Float32Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    assert.equal(medianCountingClipped(sample, 10, 0), quantileOf(sample, 0.5));
    assert.equal(medianCountingClipped(sample, 10, 4), quantileOf(sample, 0.7));
    assert.equal(medianCountingClipped(sample, 10, 10), 100);
    const brighter = Uint8Array.from(face.image.data, (v) => Math.min(255, Math.round(v * 1.1)));
    const a = await engine.analyze(await encodePng({ ...face.image, data: brighter }), {
      algorithms: ['translucency', 'skin_tone', 'hydration'],
      restored: false,
    });
    const clipped = (payloadOf(a, 'skin_tone').raw as { clipped_fraction: number }).clipped_fraction;
    assert.ok(clipped > OVEREXPOSED_CLIPPED_FRACTION, `clipped share ${clipped}`);
    const t = payloadOf(a, 'translucency');
    assert.equal(t.area_results.length, 0);
    assert.deepEqual(t.not_assessable_areas?.[0], { area_name: 'face', reason: 'overexposed' });
    assert.ok(
      metricOf(await graded('blotches', 0), 'translucency', 'translucency_score') > 0,
      'the photo as taken is assessed',
    );
  });
});
