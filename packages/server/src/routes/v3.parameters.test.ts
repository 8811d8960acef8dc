import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_METRICS } from '@skinscope/engine';
import type { AlgorithmResultRecord } from '../ports/store.ts';
import { V3_PARAMETERS } from './v3.names.ts';
import { v3Labels, v3Values } from './v3.parameters.ts';

const metric = (tech_name: string, value: unknown, widget_meta: Record<string, unknown> | null = null) => ({
  tech_name,
  value,
  widget_meta,
});

function record(algorithm: string, result: unknown, isOk = true): AlgorithmResultRecord {
  return {
    id: algorithm,
    companyId: 'c',
    imageId: 'i',
    applicationRunId: 'r',
    applicationId: 'a',
    algorithmVersionId: 1,
    algorithmFamilyTechName: `selfie_v2.${algorithm}`,
    algorithmTechName: algorithm,
    isOk,
    result,
    creationTime: '2026-01-01T00:00:00.000Z',
  };
}

test('every Haut name maps to an algorithm of the engine and a metric that algorithm declares', () => {
  const byName = new Map(DEFAULT_METRICS.map((m) => [m.techName, m]));
  assert.equal(new Set(V3_PARAMETERS.map((p) => p.name)).size, V3_PARAMETERS.length, 'names are unique');
  for (const p of V3_PARAMETERS) {
    const module = byName.get(p.algorithm);
    assert.ok(module, `${p.name}: algorithm ${p.algorithm} exists`);
    const declared = [module.outputs.main, ...module.outputs.sub];
    assert.ok(
      declared.includes(p.metric),
      `${p.name}: ${p.algorithm} declares ${p.metric} (${declared.join(', ')})`,
    );
  }
});

test('scores are numbers with the label in tag, per area, with aliases; sub-metrics become their own parameters', () => {
  const { parameters, notAssessable } = v3Values([
    record('skin_type', {
      area_results: [{ area_name: 'face', main_metric: metric('skin_type', 'combination'), sub_metrics: [] }],
    }),
    record('skin_tone', {
      area_results: [
        {
          area_name: 'face',
          main_metric: metric('skintone_class', 'Brown'),
          sub_metrics: [metric('ita', 2.3)],
        },
        {
          area_name: 'forehead',
          main_metric: metric('skintone_class', 'Tan'),
          sub_metrics: [metric('ita', 12)],
        },
      ],
    }),
    record('age', { area_results: [{ area_name: 'face', main_metric: metric('age', 41), sub_metrics: [] }] }),
    record('eye_area_condition', {
      area_results: [
        {
          area_name: 'face',
          main_metric: metric('eye_area_condition', 75, { class: 'Good' }),
          sub_metrics: [
            metric('dark_circles_score', 80),
            metric('eyes_bags_score', 58),
            metric('lacrimal_groove_score', 81),
          ],
        },
        {
          area_name: 'left_eye_area',
          main_metric: metric('eye_area_condition', 68),
          sub_metrics: [metric('dark_circles_score', 72)],
        },
      ],
    }),
    record('pigmentation', {
      area_results: [
        {
          area_name: 'face',
          main_metric: metric('pigmentation_score', 71, { class: 'Good' }),
          sub_metrics: [metric('number_of_regions', 9)],
        },
        {
          area_name: 'chin',
          main_metric: metric('pigmentation_score', 49),
          sub_metrics: [metric('number_of_regions', 2)],
        },
      ],
    }),
    record('sagging', {
      area_results: [
        {
          area_name: 'face',
          main_metric: metric('sagging_score', 38),
          sub_metrics: [metric('jowls_grade', 3)],
        },
      ],
    }),
  ]);
  assert.deepEqual(notAssessable, {});
  assert.equal(parameters.skin_type?.score, 4);
  assert.equal(parameters.skin_type?.tag, 'combination');
  assert.equal(parameters.skin_type?.skin_type, 'combination');
  assert.equal(parameters.skintone?.score, 5);
  assert.equal(parameters.skintone?.tag, 'Brown');
  assert.deepEqual(parameters.ita?.areas, {
    face: { score: 2.3, tag: 'Brown' },
    forehead: { score: 12, tag: 'Tan' },
  });
  assert.equal(parameters.ita?.ita, 2.3);
  assert.equal(parameters.age?.age, 41);
  assert.equal(parameters.age?.tag, '41 years');
  assert.equal(parameters.dark_circles?.score, 80);
  assert.equal(parameters.dark_circles?.tag, 'Good', '(70, 80] is Good');
  assert.deepEqual(parameters.dark_circles?.areas.left_eye_area, { score: 72, tag: 'Good' });
  assert.equal(parameters.lacrimal_grooves?.score, 81);
  assert.equal(parameters.sun_spots?.amount, 9);
  assert.equal(parameters.sun_spots?.areas.chin?.amount, 2);
  assert.equal(parameters.jowls?.tag, 'Grade 3');
  assert.match(parameters.pigmentation!.score_description, /^Good: .*71 of 100$/);
  assert.deepEqual(v3Labels(parameters), {
    perceived_age: 41,
    skin_type: 'combination',
    skintone: 'Brown',
    ita: 2.3,
  });
  assert.equal(parameters.lines, undefined, 'an algorithm that did not run gives no parameter');
});

test('what could not be measured is listed with its reason, never given a stand-in number', () => {
  const { parameters, notAssessable } = v3Values([
    record('pores', { error: 'Not assessable at this resolution', error_code: 'not_assessable' }, false),
    record('wrinkles', {
      area_results: [
        {
          area_name: 'face',
          main_metric: metric('wrinkles_score', 56, { class: 'Average' }),
          sub_metrics: [
            metric('deep_wrinkles_density', 1.674),
            metric('fine_wrinkles_density', null, {
              reason: 'Not assessable at this resolution (needs 4 px/mm)',
            }),
          ],
        },
      ],
    }),
    record('sagging', {
      area_results: [
        {
          area_name: 'face',
          main_metric: metric('sagging_score', null),
          sub_metrics: [metric('jowls_grade', null)],
        },
      ],
      not_assessable_areas: [{ area_name: 'face', reason: 'Head pose outside |yaw| ≤ 15°' }],
    }),
  ]);
  assert.deepEqual(notAssessable, {
    pores: 'Not assessable at this resolution',
    fine_lines: 'Not assessable at this resolution (needs 4 px/mm)',
    sagging: 'Head pose outside |yaw| ≤ 15°',
    jowls: 'Head pose outside |yaw| ≤ 15°',
  });
  assert.deepEqual(Object.keys(parameters), ['deep_lines']);
  assert.equal(parameters.deep_lines?.score, 1.67);
  assert.equal(parameters.deep_lines?.tag, '1.67 mm/cm²');
});
