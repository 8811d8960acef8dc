import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AlgorithmResult, metricValue } from '@skinscope/engine';
import { faceResult, notAssessableResult } from '../testing/algorithm-result.ts';
import { ailabView, skinColorFromIta } from './ailab-view.ts';

const ok = (
  tech: string,
  raw: Record<string, unknown>,
  meta: Record<string, unknown> | null = null,
): AlgorithmResult =>
  faceResult(tech, metricValue(tech, tech, 1), {
    sub: [metricValue('face_box', 'Face Box', null, 'numeric', meta)],
    raw,
  });

const face = ok('face_detector', {}, { x: 10, y: 20, width: 300, height: 310 });

describe('the AILab view of engine results', () => {
  test('no face box means no face', () => {
    assert.equal(ailabView([notAssessableResult('face_detector')], false), undefined);
  });

  test('a head turned past 45° adds imporper_headpose (the seed spelling); within 45° it does not', () => {
    const turned = ailabView([face, ok('quality', { yaw: 50, pitch: 0, roll: 3 })], false)!;
    assert.deepEqual(turned.warning, ['imporper_headpose']);
    assert.deepEqual(turned.face_rectangle, { top: 20, left: 10, width: 300, height: 310 });
    const straight = ailabView([face, ok('quality', { yaw: -44, pitch: 10, roll: -45 })], false)!;
    assert.deepEqual(straight.warning, []);
  });

  test('algorithms that could not measure give present keys with null values, never a guess', () => {
    const v = ailabView(
      [
        face,
        notAssessableResult('pores'),
        notAssessableResult('lines'),
        notAssessableResult('skin_type'),
        notAssessableResult('skin_tone'),
      ],
      true,
    )!;
    for (const k of [
      'pores_forehead',
      'pores_jaw',
      'crows_feet',
      'nasolabial_fold_severity',
      'skin_color',
    ] as const)
      assert.deepEqual(v.advanced[k], { value: null, confidence: 0 }, k);
    assert.equal(v.advanced.skin_type.skin_type, null);
    assert.deepEqual(v.advanced.skintone_ita, { ITA: null, skintone: 6 });
    assert.deepEqual(v.advanced.skin_hue_ha, { HA: null, skintone: 3 });
    assert.deepEqual(v.advanced.acne, { rectangle: [], confidence: [] });
    assert.deepEqual(v.basic.acne, { value: null, confidence: 0 }, 'acne not run: not "no acne"');
  });

  test('engine values outside the documented range are not passed on', () => {
    const lines = ok('lines', {
      ailab: { crows_feet: { value: 3, confidence: 0.9 }, eye_finelines: { value: 1, confidence: 7 } },
    });
    const v = ailabView([face, lines], false)!;
    assert.deepEqual(v.advanced.crows_feet, { value: null, confidence: 0 });
    assert.deepEqual(v.advanced.eye_finelines, { value: 1, confidence: 1 });
  });

  test('skin_color follows the ITA bands, surer away from a band edge', () => {
    assert.equal(skinColorFromIta(60, false).value, 0);
    assert.equal(skinColorFromIta(50, false).value, 1);
    assert.equal(skinColorFromIta(30, false).value, 2);
    assert.equal(skinColorFromIta(15, false).value, 3);
    assert.equal(skinColorFromIta(-40, false).value, 4);
    assert.equal(skinColorFromIta(41.5, false).confidence, 0.55);
    assert.equal(skinColorFromIta(48, false).confidence, 1);
    assert.deepEqual(skinColorFromIta(50, true), { value: null, confidence: 0 });
  });
});
