import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlgorithmResultRecord } from '../ports/store.ts';
import { loadConcernTable, parseConcernTable, recommend } from './recommend.ts';

type Area = { area_name: string; main?: number; sub?: Record<string, number> };

function result(algorithm: string, areas: Area[], isOk = true): AlgorithmResultRecord {
  return {
    id: `r-${algorithm}`,
    companyId: 'c',
    imageId: 'i',
    applicationRunId: '',
    applicationId: 'a',
    algorithmVersionId: 1,
    algorithmFamilyTechName: `selfie_v2.${algorithm}`,
    algorithmTechName: algorithm,
    isOk,
    result: isOk
      ? {
          area_results: areas.map((a) => ({
            area_name: a.area_name,
            main_metric: { value: a.main ?? null, tech_name: `${algorithm}_score` },
            sub_metrics: Object.entries(a.sub ?? {}).map(([tech_name, value]) => ({ tech_name, value })),
          })),
        }
      : { error: 'No face detected' },
    creationTime: '2026-01-01T00:00:00.000Z',
  };
}

const table = loadConcernTable();

test('thresholds of the research notes: acne < 90, redness < 70, pores < 50 (89 tags acne, 90 does not)', () => {
  const healthy = recommend(table, [
    result('acne', [{ area_name: 'face', main: 90 }]),
    result('redness', [{ area_name: 'face', main: 70 }]),
    result('pores', [{ area_name: 'face', main: 50 }]),
  ]);
  assert.deepEqual(healthy.concern_tags, []);
  assert.deepEqual(healthy.products, ['cleanser', 'moisturizer', 'spf'], 'basic care always');
  const concerned = recommend(table, [
    result('acne', [{ area_name: 'face', main: 89 }]),
    result('redness', [{ area_name: 'face', main: 69.9 }]),
    result('pores', [{ area_name: 'face', main: 49 }]),
  ]);
  assert.deepEqual(concerned.concern_tags, ['acne', 'redness', 'pores']);
  assert.ok(concerned.care_group.additional_care.includes('salicylic_acid_cleanser'));
  assert.ok(concerned.care_group.additional_care.includes('clay_mask'));
  assert.equal(new Set(concerned.products).size, concerned.products.length, 'each category once');
});

test('sub-metrics and areas: dark circles < 70 and eye lines < 80 in any eye area go to eye care', () => {
  const r = recommend(table, [
    result('eye_area_condition', [
      { area_name: 'face', main: 80, sub: { dark_circles_score: 65, eyes_bags_score: 75 } },
    ]),
    result('lines', [
      { area_name: 'face', main: 85, sub: { sagging_score: 90 } },
      { area_name: 'left_crows_feet', main: 78 },
      { area_name: 'forehead', main: 40 },
    ]),
  ]);
  assert.deepEqual(r.concern_tags, ['eye_lines', 'dark_circles']);
  assert.deepEqual(r.care_group.eye_care, ['retinal_eye_cream', 'vitamin_c_eye_cream', 'caffeine_eye_serum']);
});

test('aging needs age > 45 and (lines < 70 or pigmentation < 80); a failed algorithm triggers nothing', () => {
  const at = (age: number, pigmentation: number) =>
    recommend(table, [
      result('age', [{ area_name: 'face', main: age }]),
      result('lines', [{ area_name: 'face', main: 90 }]),
      result('pigmentation', [{ area_name: 'face', main: pigmentation }]),
    ]).concern_tags;
  assert.deepEqual(at(46, 79), ['pigmentation', 'aging']);
  assert.deepEqual(at(45, 79), ['pigmentation']);
  assert.deepEqual(at(50, 85), ['pigmentation']);
  assert.deepEqual(recommend(table, [result('acne', [], false)]).concern_tags, []);
});

test('a malformed table is refused at load, naming the entry', () => {
  assert.throws(
    () =>
      parseConcernTable(
        JSON.stringify({
          basic_care: [],
          concerns: [{ tag: 'x', products: [], rule: { algorithm: 'acne' } }],
        }),
      ),
    /x needs an algorithm and a numeric below or above/,
  );
});
